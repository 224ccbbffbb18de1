import type { Dispatcher } from 'undici';
import type { Notification } from '../notification.js';
import type { Notifier } from '../notifier.js';
import type { DeliveryOutcome } from '../../model/delivery-record.js';
import { postOnce } from './http-post.js';
import { redactorFor, type Redactor } from './redactor.js';
import type { SlackReceiverSpec } from '../../model/template/receivers/slack.config.js';
import { slackMessage } from './slack.message.js';

/**
 * Posts a Block Kit message to a Slack incoming webhook. Slack answers 200 `ok`, 4xx for a bad
 * request or a revoked webhook (not retried) and 429 with Retry-After when rate limiting. The
 * webhook URL is the credential: it is redacted from every error.
 */
export class SlackNotifier implements Notifier {
  readonly name: string;
  readonly type = 'slack' as const;
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #redact: Redactor;
  readonly #dispatcher: Dispatcher | undefined;

  constructor(spec: SlackReceiverSpec, options: { readonly dispatcher?: Dispatcher } = {}) {
    this.name = spec.name;
    this.#url = spec.url;
    this.#timeoutMs = spec.timeout;
    this.#redact = redactorFor([], [spec.url]);
    this.#dispatcher = options.dispatcher;
  }

  notify(notification: Notification): Promise<DeliveryOutcome> {
    return postOnce({
      url: this.#url,
      body: JSON.stringify(slackMessage(notification)),
      headers: { 'content-type': 'application/json' },
      timeoutMs: this.#timeoutMs,
      redact: this.#redact,
      ...(this.#dispatcher === undefined ? {} : { dispatcher: this.#dispatcher }),
    });
  }
}
