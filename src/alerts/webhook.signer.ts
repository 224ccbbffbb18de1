import { createHmac, timingSafeEqual } from 'node:crypto';
import { VigilError } from '../errors/vigil-error.js';
import { WebhookSecret } from './webhook.secret.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) symmetric signatures, scheme `v1`:
 * `v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`. With several active secrets (during a
 * rotation) one signature per secret is sent, space-separated; a receiver accepts any that matches.
 */

export { generateWebhookSecret, WebhookSecret } from './webhook.secret.js';

export interface WebhookMessage {
  /** The message id; stable across retries so receivers can deduplicate. */
  readonly id: string;
  /** Unix time in whole seconds at which this attempt was signed. */
  readonly timestamp: number;
  /** The exact bytes sent as the request body. */
  readonly body: string | Buffer;
}

// A type alias, not an interface, so it is assignable to header records (HeaderBag, undici, node:http).
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Default replay window of the spec's reference libraries. */
export const DEFAULT_TOLERANCE_SEC = 300;

export type SecretInput = string | WebhookSecret;

export function signWebhook(message: WebhookMessage, secrets: readonly SecretInput[]): WebhookHeaders {
  if (secrets.length === 0) {
    throw new VigilError('VIGIL_CONFIG_INVALID', 'signWebhook needs at least one secret');
  }
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    throw new VigilError('VIGIL_WEBHOOK_DELIVERY', 'webhook timestamp must be whole Unix seconds');
  }
  const timestamp = String(message.timestamp);
  const signature = secrets
    .map((secret) => `v1,${hmac(WebhookSecret.from(secret), message.id, timestamp, message.body).toString('base64')}`)
    .join(' ');
  return { 'webhook-id': message.id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

export type VerifyFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

export type VerifyResult = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly reason: VerifyFailure };

export interface VerifyOptions {
  /** Accepted clock difference either way, in seconds. Default 300. */
  readonly toleranceSec?: number;
  /** Current time in epoch milliseconds (tests). */
  readonly now?: number;
}

/** Header bag as node:http or undici gives it; names are matched case-insensitively. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Checks a received webhook against any of the active secrets. Never throws for a bad message
 * (the reason is returned so the receiver can answer 401 and count it) and never echoes secrets.
 */
export function verifyWebhook(
  headers: HeaderBag,
  body: string | Buffer,
  secrets: readonly SecretInput[],
  options: VerifyOptions = {},
): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing_headers' };

  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(timestampText);
  const nowSec = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (nowSec - timestamp > tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (timestamp - nowSec > tolerance) return { ok: false, reason: 'timestamp_too_new' };

  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'utf8'));
  for (const secret of secrets) {
    const expected = Buffer.from(hmac(WebhookSecret.from(secret), id, timestampText, body).toString('base64'), 'utf8');
    // Length is public (always 44 for SHA-256); only the content comparison must be constant-time.
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
      return { ok: true, id };
    }
  }
  return { ok: false, reason: 'no_matching_signature' };
}

function hmac(secret: WebhookSecret, id: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret.key()).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const text = typeof value === 'string' ? value : value?.[0];
    return text === undefined ? undefined : text;
  }
  return undefined;
}
