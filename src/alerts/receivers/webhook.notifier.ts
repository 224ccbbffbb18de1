import type { Dispatcher } from 'undici';
import type { Notification } from '../notification.js';
import type { Notifier } from '../notifier.js';
import type { DeliveryOutcome } from '../../model/delivery-record.js';
import { serializeAlertPayload } from '../webhook.payload.js';
import { WebhookSecret } from '../webhook.secret.js';
import { signWebhook } from '../webhook.signer.js';
import { postOnce } from './http-post.js';
import { redactorFor, urlCredentials, type Redactor } from './redactor.js';
import { webhookSecrets, type WebhookReceiverSpec } from '../../model/template/receivers/webhook.config.js';

export interface WebhookNotifierOptions {
  /**
   * The resolved signing secrets, the one to keep first; several while rotating. Defaults to the
   * spec's `secrets` and `secret`. With none, requests carry webhook-id/timestamp but no signature.
   */
  readonly secrets?: readonly (string | WebhookSecret)[];
  /** undici dispatcher (connection pool, proxy); the global one by default. */
  readonly dispatcher?: Dispatcher;
  /** Clock in epoch milliseconds, for the signed timestamp. */
  readonly now?: () => number;
}

const USER_AGENT = 'vigil-webhook/1';

/**
 * POSTs one alert to one webhook receiver per `notify` call, signed per Standard Webhooks with
 * `webhook-id` = the notification id (the alert id), so every retry carries the same id and
 * receivers can deduplicate. The whole attempt is bounded by the receiver's timeout.
 *
 * Secrets and the receiver's header values are held privately and scrubbed from every `error`
 * text; the object itself prints nothing sensitive.
 */
export class WebhookNotifier implements Notifier {
  readonly name: string;
  readonly type = 'webhook' as const;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly #url: string;
  readonly #secrets: readonly WebhookSecret[];
  readonly #extraHeaders: Readonly<Record<string, string>>;
  readonly #redact: Redactor;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #now: () => number;

  /** Throws VIGIL_CONFIG_INVALID (without quoting it) when a secret is malformed. */
  constructor(spec: WebhookReceiverSpec, options: WebhookNotifierOptions = {}) {
    const secretInputs = options.secrets ?? webhookSecrets(spec);
    this.name = spec.name;
    this.timeoutMs = spec.timeout;
    this.maxAttempts = spec.maxAttempts;
    this.#url = spec.url;
    this.#secrets = secretInputs.map((secret) => WebhookSecret.from(secret));
    this.#extraHeaders = lowerCaseKeys(spec.headers);
    // Parsing accepts only canonical base64, so key().toString('base64') is the configured text minus `whsec_`.
    this.#redact = redactorFor([
      ...this.#secrets.map((secret) => secret.key().toString('base64')),
      ...Object.values(spec.headers),
      ...urlCredentials(spec.url),
    ]);
    this.#dispatcher = options.dispatcher;
    this.#now = options.now ?? Date.now;
  }

  async notify(notification: Notification): Promise<DeliveryOutcome> {
    const body = serializeAlertPayload(notification);
    return postOnce({
      url: this.#url,
      body,
      headers: this.#headers(notification.id, body),
      timeoutMs: this.timeoutMs,
      redact: this.#redact,
      ...(this.#dispatcher === undefined ? {} : { dispatcher: this.#dispatcher }),
    });
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
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
