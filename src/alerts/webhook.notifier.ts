import { request, type Dispatcher } from 'undici';
import { describeError } from '../errors/vigil-error.js';
import type { Alert } from '../runtime/records.js';
import type { ReceiverSpec } from '../templates/template.schema.js';
import type { DeliveryOutcome, Notifier } from './notifier.js';
import { classifyError, classifyStatus, honoursRetryAfter, parseRetryAfter } from './retry-policy.js';
import { serializeAlertPayload } from './webhook.payload.js';
import { WebhookSecret } from './webhook.secret.js';
import { signWebhook } from './webhook.signer.js';

export interface WebhookNotifierOptions {
  /**
   * The resolved signing secrets, the one to keep first; several while rotating. Defaults to the
   * spec's `secret`. With none, requests carry webhook-id/timestamp but no signature.
   */
  readonly secrets?: readonly (string | WebhookSecret)[];
  /** undici dispatcher (connection pool, proxy); the global one by default. */
  readonly dispatcher?: Dispatcher;
  /** Clock in epoch milliseconds, for the signed timestamp. */
  readonly now?: () => number;
}

const USER_AGENT = 'vigil-webhook/1';
/** How much of an error response body is read, and how much of it (after redaction) is quoted. */
const SNIPPET_READ_BYTES = 4096;
const SNIPPET_CHARS = 200;
/** Header values shorter than this are not treated as secrets when redacting. */
const MIN_REDACT_LENGTH = 6;

/**
 * POSTs one alert to one webhook receiver per `notify` call, signed per Standard Webhooks with
 * `webhook-id` = alert id, so every retry of an alert carries the same id and receivers can
 * deduplicate. The whole attempt (connect, headers, body) is bounded by the receiver's timeout.
 *
 * Secrets and the receiver's header values are held privately and scrubbed from every `error`
 * text; the object itself prints nothing sensitive.
 */
export class WebhookNotifier implements Notifier {
  readonly name: string;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly #url: string;
  readonly #secrets: readonly WebhookSecret[];
  readonly #extraHeaders: Readonly<Record<string, string>>;
  readonly #sensitive: readonly string[];
  readonly #dispatcher: Dispatcher | undefined;
  readonly #now: () => number;

  /** Throws VIGIL_CONFIG_INVALID (without quoting it) when a secret is malformed. */
  constructor(spec: ReceiverSpec, options: WebhookNotifierOptions = {}) {
    const secretInputs = options.secrets ?? (spec.secret === undefined ? [] : [spec.secret]);
    this.name = spec.name;
    this.timeoutMs = spec.timeout;
    this.maxAttempts = spec.maxAttempts;
    this.#url = spec.url;
    this.#secrets = secretInputs.map((secret) => WebhookSecret.from(secret));
    this.#extraHeaders = lowerCaseKeys(spec.headers);
    this.#sensitive = sensitiveStrings(spec, this.#secrets);
    this.#dispatcher = options.dispatcher;
    this.#now = options.now ?? Date.now;
  }

  async notify(alert: Alert): Promise<DeliveryOutcome> {
    const body = serializeAlertPayload(alert);
    const headers = this.#headers(alert.id, body);
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);

    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.#url, {
        method: 'POST',
        body,
        headers,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        // headers/body timeouts are per phase and connect has its own; this bounds the total.
        signal: AbortSignal.timeout(this.timeoutMs),
        dispatcher: this.#dispatcher,
      });
    } catch (error) {
      const { reason, retryable } = classifyError(error);
      const text = reason === 'timeout' ? `timed out after ${this.timeoutMs}ms (${errorCode(error)})` : transportError(error);
      return { ok: false, reason, retryable, latencyMs: latency(), error: this.#redact(text) };
    }

    const status = response.statusCode;
    const { reason, retryable } = classifyStatus(status);
    if (reason === 'ok') {
      await discard(response.body);
      return { ok: true, reason, retryable, status, latencyMs: latency() };
    }
    const retryAfterMs = honoursRetryAfter(status) ? parseRetryAfter(response.headers['retry-after']) : undefined;
    const snippet = await readSnippet(response.body);
    return {
      ok: false,
      reason,
      retryable,
      status,
      latencyMs: latency(),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      // Redact before truncating, so a secret cut in half at the boundary cannot survive.
      error: snippet ? `HTTP ${status}: ${this.#redact(snippet).slice(0, SNIPPET_CHARS)}` : `HTTP ${status}`,
    };
  }

  #headers(id: string, body: string): Record<string, string> {
    const timestamp = Math.floor(this.#now() / 1000);
    const identity =
      this.#secrets.length > 0
        ? signWebhook({ id, timestamp, body }, this.#secrets)
        : { 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
    // The receiver's own headers (auth tokens, routing) may not override the signed ones.
    return { ...this.#extraHeaders, 'content-type': 'application/json', 'user-agent': USER_AGENT, ...identity };
  }

  #redact(text: string): string {
    let result = text;
    for (const value of this.#sensitive) result = result.split(value).join('[redacted]');
    return result;
  }
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

/** Everything that must never appear in an outcome's `error`, longest first. */
function sensitiveStrings(spec: ReceiverSpec, secrets: readonly WebhookSecret[]): string[] {
  const values = new Set<string>();
  // Parsing accepts only canonical base64, so this is exactly the configured text minus `whsec_`.
  for (const secret of secrets) values.add(secret.key().toString('base64'));
  for (const value of Object.values(spec.headers)) values.add(value);
  const url = new URL(spec.url);
  for (const part of [url.username, url.password, ...url.searchParams.values()]) values.add(part);
  return [...values].filter((value) => value.length >= MIN_REDACT_LENGTH).sort((a, b) => b.length - a.length);
}

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

// Duck-typed, not instanceof: undici and AbortSignal errors may come from another realm.
function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: describeError(error) };
}

function errorCode(error: unknown): string {
  const { code, name } = asErrorLike(error);
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'Error';
}

function transportError(error: unknown): string {
  const { message, cause } = asErrorLike(error);
  const text = typeof message === 'string' ? message : describeError(error);
  const because = cause === undefined ? '' : ` (${describeError(cause)})`;
  return `${errorCode(error)}: ${text}${because}`;
}

async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump();
  } catch {
    // The status already decided the outcome; an unreadable 2xx body does not undo delivery.
  }
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= SNIPPET_READ_BYTES) break;
    }
  } catch {
    // Only a hint for humans; the status is the outcome.
  }
  return Buffer.concat(chunks)
    .subarray(0, SNIPPET_READ_BYTES)
    .toString('utf8')
    .replace(/\s+/g, ' ')
    .trim();
}
