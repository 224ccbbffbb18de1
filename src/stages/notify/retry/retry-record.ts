import { VigilError } from '../../../errors/vigil-error.js';
import { DLQ_HEADERS } from '../../../kafka/dead-letter.js';
import type { IncomingMessage, OutgoingMessage } from '../../../kafka/kafka.types.js';
import type { Notification } from '../../../alerts/notification.js';

/** Header names on `<alerts>.retry` records (besides the source headers dead letters carry). */
export const RETRY_HEADERS = {
  receiver: 'vigil-receiver',
  firstFailedAt: 'vigil-first-failed-at',
  attempts: 'vigil-attempts',
  sourceKey: 'vigil-source-key',
} as const;

/** A notification waiting for its receiver: what to send, to whom, since when, and where it came from. */
export interface WaitingNotification {
  readonly notification: Notification;
  readonly receiver: string;
  /** Epoch ms of the first failed attempt; the retry budget counts from here. */
  readonly firstFailedAt: number;
  /** Attempts made so far (the delivery log numbers the next one after them). */
  readonly attempts: number;
  /** The alerts-topic record it came from, so a dead letter replays to the same place. */
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string; readonly key: Buffer | null };
}

/** The retry-topic record: the whole notification (a group's too) keyed by receiver. */
export function retryRecord(topic: string, waiting: WaitingNotification): OutgoingMessage {
  const { source } = waiting;
  return {
    topic,
    key: waiting.receiver,
    value: JSON.stringify(waiting.notification),
    headers: {
      [RETRY_HEADERS.receiver]: waiting.receiver,
      [RETRY_HEADERS.firstFailedAt]: String(waiting.firstFailedAt),
      [RETRY_HEADERS.attempts]: String(waiting.attempts),
      [DLQ_HEADERS.topic]: source.topic,
      [DLQ_HEADERS.partition]: String(source.partition),
      [DLQ_HEADERS.offset]: source.offset,
      ...(source.key === null ? {} : { [RETRY_HEADERS.sourceKey]: source.key.toString('base64') }),
    },
  };
}

/** Reads a retry-topic record back; throws a typed error when it is not one Vigil wrote. */
export function readRetryRecord(message: IncomingMessage): WaitingNotification {
  const { headers } = message;
  const receiver = headers[RETRY_HEADERS.receiver];
  const firstFailedAt = Number(headers[RETRY_HEADERS.firstFailedAt]);
  const attempts = Number(headers[RETRY_HEADERS.attempts] ?? '0');
  let notification: Notification;
  try {
    notification = JSON.parse(message.value?.toString('utf8') ?? '') as Notification;
  } catch (error) {
    throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `retry record ${message.offset} is not JSON`, { cause: error });
  }
  if (!receiver || !Number.isFinite(firstFailedAt) || !Number.isInteger(attempts) || typeof notification?.id !== 'string' || typeof notification.alert?.id !== 'string') {
    throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `retry record ${message.offset} lacks its receiver, first failure or notification`);
  }
  const key = headers[RETRY_HEADERS.sourceKey];
  return {
    notification,
    receiver,
    firstFailedAt,
    attempts,
    source: {
      topic: headers[DLQ_HEADERS.topic] ?? '',
      partition: Number(headers[DLQ_HEADERS.partition] ?? '-1'),
      offset: headers[DLQ_HEADERS.offset] ?? '-1',
      key: key === undefined ? null : Buffer.from(key, 'base64'),
    },
  };
}

/**
 * The record a dead letter is made from: the notification's lead alert as the alerts topic held
 * it, with its original key and source, so `vigil alerts replay` sends it where it came from.
 */
export function sourceMessage(waiting: WaitingNotification): IncomingMessage {
  const { source } = waiting;
  return { topic: source.topic, partition: source.partition, offset: source.offset, key: source.key, value: Buffer.from(JSON.stringify(waiting.notification.alert)), headers: {}, timestamp: Date.now() };
}
