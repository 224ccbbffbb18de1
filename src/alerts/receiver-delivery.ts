import { deliverWithRetries, type DeliveryOptions } from './delivery.js';
import { deliveryRecord, type DeliveryRecord } from '../model/delivery-record.js';
import type { Notification } from './notification.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';
import type { BackoffPolicy } from './retry-policy.js';

export interface ReceiverTarget {
  readonly notifier: Notifier;
  readonly maxAttempts: number;
  /** This receiver's waits between attempts; the delivery's default otherwise. */
  readonly backoff?: BackoffPolicy;
  /** Stop retrying once the circuit is open (then: fallback, else dead-letter) instead of waiting for it. */
  readonly giveUpWhenOpen?: boolean;
  /**
   * How long a notification this receiver and its fallback failed waits for them to come back
   * (notify's retry worker), from its first failure; 0 dead-letters at once. Default 6h.
   */
  readonly retryForMs?: number;
  /** Tried when this receiver fails the notification; itself without a further fallback. */
  readonly fallback?: ReceiverTarget;
}

export interface ReceiverDeliveryOptions {
  readonly backoff: BackoffPolicy;
  readonly signal?: AbortSignal;
  readonly sleep?: DeliveryOptions['sleep'];
  readonly now?: () => number;
  /** Metrics hook per attempt; must not throw. */
  readonly onAttempt?: (receiver: Notifier, outcome: DeliveryOutcome) => void;
}

/**
 * - delivered: the receiver (or its fallback) accepted it.
 * - aborted: shutdown interrupted; nothing may be committed.
 * - otherwise: dead-letter it for `receiver` with `last`.
 */
export interface ReceiverDeliveryResult {
  readonly receiver: string;
  readonly delivered: boolean;
  readonly aborted: boolean;
  readonly attempts: number;
  readonly last: DeliveryOutcome | undefined;
  /** One per attempt, in order, ready for the delivery log. */
  readonly records: readonly DeliveryRecord[];
}

/**
 * Delivers one notification to one receiver with retries and, when it fails, to its fallback.
 * With a fallback (or `giveUpWhenOpen`), an open circuit ends the attempts at once instead of
 * waiting for the cooldown, so a dead receiver delays nothing. Every attempt becomes a delivery-log record: `retrying` when
 * another attempt (or the fallback) follows, `delivered`, or `dead_lettered` for the last one of a
 * notification that goes to the dead-letter topic.
 */
export async function deliverToReceiver(target: ReceiverTarget, notification: Notification, options: ReceiverDeliveryOptions): Promise<ReceiverDeliveryResult> {
  const records: DeliveryRecord[] = [];
  const primary = await attempt(target, notification, options, records, target.fallback !== undefined || target.giveUpWhenOpen === true);
  if (primary.delivered || primary.aborted || target.fallback === undefined) {
    return finish(target, primary, records);
  }
  const fallback = await attempt(target.fallback, notification, options, records, target.fallback.giveUpWhenOpen === true);
  return finish(target, fallback.delivered || fallback.aborted ? fallback : { ...fallback, last: fallback.last ?? primary.last }, records);
}

interface Attempted {
  readonly delivered: boolean;
  readonly aborted: boolean;
  readonly attempts: number;
  readonly last: DeliveryOutcome | undefined;
}

async function attempt(
  target: ReceiverTarget,
  notification: Notification,
  options: ReceiverDeliveryOptions,
  records: DeliveryRecord[],
  handOverOnOpenCircuit: boolean,
): Promise<Attempted> {
  const { notifier } = target;
  const result = await deliverWithRetries(notifier, notification, {
    maxAttempts: target.maxAttempts,
    backoff: target.backoff ?? options.backoff,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(handOverOnOpenCircuit ? { giveUp: (outcome: DeliveryOutcome) => outcome.reason === 'circuit_open' } : {}),
    onAttempt: (outcome, number, startedAt) => {
      options.onAttempt?.(notifier, outcome);
      const record = deliveryRecord(notification.alert, {
        receiver: notifier.name,
        receiverType: notifier.type,
        attempt: number,
        startedAt,
        outcome: outcome.ok ? 'delivered' : 'retrying',
        result: outcome,
      });
      // The webhook-id: the alert id, `<id>.resolved`, or a group notification's id.
      records.push({ ...record, alert_id: notification.id });
    },
  });
  return { delivered: result.delivered, aborted: result.aborted, attempts: result.attempts.length, last: result.attempts.at(-1) };
}

function finish(target: ReceiverTarget, result: Attempted, records: DeliveryRecord[]): ReceiverDeliveryResult {
  const deadLettered = !result.delivered && !result.aborted;
  const lastIndex = records.length - 1;
  if (deadLettered && lastIndex >= 0) records[lastIndex] = { ...records[lastIndex]!, outcome: 'dead_lettered' };
  return { receiver: target.notifier.name, ...result, records };
}
