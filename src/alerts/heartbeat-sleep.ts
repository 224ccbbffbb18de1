import { setTimeout as delay } from 'node:timers/promises';
import type { BatchControl } from '../kafka/kafka.types.js';

/** Well under the shortest session timeout Vigil allows (6 s). */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * A sleep for waits between delivery attempts that keeps the consumer in its group: kafkajs only
 * heartbeats between batches, so a partition waiting out a long Retry-After or an open circuit
 * would otherwise be declared dead, lose its partitions and re-deliver the alert elsewhere.
 * Settles early (rejecting) when `signal` aborts, like node:timers/promises.
 */
export function heartbeatSleep(control: Pick<BatchControl, 'heartbeat'>): (ms: number, signal?: AbortSignal) => Promise<void> {
  return async (ms, signal) => {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      await delay(Math.min(left, HEARTBEAT_EVERY_MS), undefined, signal === undefined ? undefined : { signal });
      // A failed heartbeat (rebalance in progress) is not a delivery failure; the consumer deals with it.
      await control.heartbeat().catch(() => undefined);
    }
  };
}
