import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * A read_committed observer of the alerts topic and its deliveries topic, for the alert-latency
 * breakdown: when detect sent each probe's alert (the record's timestamp), when it became visible to consumers (detect's transaction committed
 * and its markers written) and when notify started the delivery attempt (the delivery record's
 * `time`). Its own fetch wait (FETCH_WAIT_MS) bounds how late it can notice a visible alert.
 */
const FETCH_WAIT_MS = 10;

export interface TapTimes {
  /** Kafka timestamp of the alert record: when detect sent it in its transaction (wall-clock ms). */
  readonly sentAt: Map<string, number>;
  /** Wall-clock ms at which the alert of this trigger event was first fetched here. */
  readonly visibleAt: Map<string, number>;
  /** Wall-clock ms at which notify started delivering the alert of this trigger event. */
  readonly attemptAt: Map<string, number>;
}

export interface AlertTap extends TapTimes {
  stop(): Promise<void>;
}

export async function startAlertTap(brokers: readonly string[], alertsTopic: string, deliveriesTopic: string): Promise<AlertTap> {
  const kafka = new Kafka({ clientId: 'vigil-bench-alert-tap', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `vigil-bench-alert-tap-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
    maxWaitTimeInMs: FETCH_WAIT_MS,
    allowAutoTopicCreation: false,
  });
  const triggerOfAlert = new Map<string, string>();
  const sentAt = new Map<string, number>();
  const visibleAt = new Map<string, number>();
  const attemptAt = new Map<string, number>();
  const pendingAttempts = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [alertsTopic, deliveriesTopic], fromBeginning: false });
  await consumer.run({
    partitionsConsumedConcurrently: 16,
    eachMessage: async ({ topic, message }) => {
      const at = Date.now();
      if (!message.value) return;
      const record = JSON.parse(message.value.toString('utf8')) as { id?: string; alert_id?: string; time?: number; attempt?: number; finding?: { trigger_event_id?: string } };
      if (topic === alertsTopic) {
        const trigger = record.finding?.trigger_event_id;
        if (record.id === undefined || trigger === undefined) return;
        triggerOfAlert.set(record.id, trigger);
        if (!visibleAt.has(trigger)) {
          visibleAt.set(trigger, at);
          sentAt.set(trigger, Number(message.timestamp));
        }
      } else if (record.attempt === 1 && record.alert_id !== undefined && record.time !== undefined) {
        // Delivery records follow their alert on another topic; the alert's trigger is known by then or soon.
        const trigger = triggerOfAlert.get(record.alert_id);
        if (trigger !== undefined && !attemptAt.has(trigger)) attemptAt.set(trigger, record.time);
        else if (trigger === undefined) pendingAttempts.set(record.alert_id, record.time);
      }
      for (const [alertId, time] of pendingAttempts) {
        const trigger = triggerOfAlert.get(alertId);
        if (trigger === undefined) continue;
        pendingAttempts.delete(alertId);
        if (!attemptAt.has(trigger)) attemptAt.set(trigger, time);
      }
    },
  });
  return { sentAt, visibleAt, attemptAt, stop: () => consumer.disconnect() };
}
