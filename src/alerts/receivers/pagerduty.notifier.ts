import type { Dispatcher } from 'undici';
import type { Notification } from '../notification.js';
import type { Notifier } from '../notifier.js';
import type { DeliveryOutcome } from '../../model/delivery-record.js';
import { postOnce } from './http-post.js';
import type { PagerDutyReceiverSpec } from '../../model/template/receivers/pagerduty.config.js';
import { pagerDutyEvent } from './pagerduty.event.js';
import { redactorFor, urlCredentials, type Redactor } from './redactor.js';

/**
 * Sends trigger and resolve events to PagerDuty's Events API v2. PagerDuty answers 202 when it
 * accepted the event, 400 for an invalid one (not retried), 429 when throttled and 5xx when
 * unavailable (both retried). The routing key is redacted from every error.
 */
export class PagerDutyNotifier implements Notifier {
  readonly name: string;
  readonly type = 'pagerduty' as const;
  readonly #url: string;
  readonly #routingKey: string;
  readonly #timeoutMs: number;
  readonly #redact: Redactor;
  readonly #dispatcher: Dispatcher | undefined;

  constructor(spec: PagerDutyReceiverSpec, options: { readonly dispatcher?: Dispatcher } = {}) {
    this.name = spec.name;
    this.#url = spec.url;
    this.#routingKey = spec.routingKey;
    this.#timeoutMs = spec.timeout;
    this.#redact = redactorFor([spec.routingKey, ...urlCredentials(spec.url)]);
    this.#dispatcher = options.dispatcher;
  }

  notify(notification: Notification): Promise<DeliveryOutcome> {
    return postOnce({
      url: this.#url,
      body: JSON.stringify({ routing_key: this.#routingKey, ...pagerDutyEvent(notification) }),
      headers: { 'content-type': 'application/json' },
      timeoutMs: this.#timeoutMs,
      redact: this.#redact,
      ...(this.#dispatcher === undefined ? {} : { dispatcher: this.#dispatcher }),
    });
  }
}
