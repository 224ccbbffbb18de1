import type { ReceiverType } from './delivery-record.js';
import type { Notification } from './notification.js';
import type { DeliveryReason } from './retry-policy.js';

/** The result of ONE delivery attempt. `reason` is a metric label from a closed list. */
export interface DeliveryOutcome {
  readonly ok: boolean;
  readonly reason: DeliveryReason;
  /** Whether another attempt of the same message can succeed. False when `ok`. */
  readonly retryable: boolean;
  /** HTTP status, when the receiver answered. */
  readonly status?: number;
  /** Wall time of the attempt, from sending to the outcome. */
  readonly latencyMs: number;
  /** The receiver's `Retry-After` (429/503), in milliseconds. */
  readonly retryAfterMs?: number;
  /** One readable line for logs and dead-letter headers; never contains secrets. */
  readonly error?: string;
}

/**
 * A receiver (webhook, Slack, PagerDuty: src/alerts/receivers). Contract: `notify` makes exactly
 * one attempt, never retries, and resolves with an outcome for every delivery failure — it
 * rejects only on programming errors. Retries live in `deliverWithRetries`.
 */
export interface Notifier {
  /** The receiver's name from the template, for logs and metric labels. */
  readonly name: string;
  readonly type: ReceiverType;
  notify(notification: Notification): Promise<DeliveryOutcome>;
}
