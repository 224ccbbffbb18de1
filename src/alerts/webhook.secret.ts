import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { VigilError } from '../errors/vigil-error.js';

/**
 * A Standard Webhooks signing secret: `whsec_<base64>` (the `whsec_` prefix is optional).
 *
 * The key bytes live in a private field and every way of printing the object (String(), JSON,
 * util.inspect, pino) yields `[redacted]`, so a secret held by a notifier cannot leak into logs or
 * error messages by accident. Parse errors never quote the input either.
 */
export class WebhookSecret {
  static readonly PREFIX = 'whsec_';

  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** Accepts `whsec_<base64>` or bare base64 (standard alphabet, canonical padding). */
  static parse(text: string): WebhookSecret {
    const encoded = text.startsWith(WebhookSecret.PREFIX) ? text.slice(WebhookSecret.PREFIX.length) : text;
    const key = Buffer.from(encoded, 'base64');
    // Buffer.from ignores junk silently; re-encoding catches typos and truncated secrets.
    if (key.length === 0 || key.toString('base64') !== encoded) {
      throw new VigilError('VIGIL_CONFIG_INVALID', 'webhook secret is not valid: expected "whsec_" followed by base64');
    }
    return new WebhookSecret(key);
  }

  static from(secret: string | WebhookSecret): WebhookSecret {
    return secret instanceof WebhookSecret ? secret : WebhookSecret.parse(secret);
  }

  /** The HMAC key. Callers must not log or copy it. */
  key(): Buffer {
    return this.#key;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'WebhookSecret([redacted])';
  }
}

/** A new random secret in `whsec_<base64>` form (32 bytes, within the spec's 24–64). */
export function generateWebhookSecret(): string {
  return `${WebhookSecret.PREFIX}${randomBytes(32).toString('base64')}`;
}
