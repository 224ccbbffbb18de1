import type { ReceiverType } from '../model/delivery-record.js';
import type { Notification } from './notification.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';

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
