import type { TopicPartition, TopicPartitionOffset } from './kafka.types.js';

/**
 * Which partitions this member owns, as seen through kafkajs' GROUP_JOIN events. Pure bookkeeping:
 * kafkajs.consumer.ts feeds it and acts on what it returns.
 *
 * kafkajs has no revoke callback and uses the eager protocol: after every (re)join it forgets the
 * fetch positions of *all* partitions and restarts them from the committed offsets. We want
 * partitions kept across a rebalance to continue where they were (so a stage's uncommitted work
 * stays valid and is not delivered twice), hence `seeks`: the next offset to fetch for each kept
 * partition that has made progress. A kept partition with a batch in flight at rejoin time cannot
 * be continued safely (its result is not known yet), so it is reported revoked and assigned again.
 *
 * Every ownership period of a partition has its own epoch; a batch is stale once its epoch ended.
 */

export interface AssignmentChange {
  readonly revoked: readonly TopicPartition[];
  readonly assigned: readonly TopicPartition[];
  /** Kept partitions and the offset to continue from (last processed + 1). */
  readonly seeks: readonly TopicPartitionOffset[];
}

interface Owned {
  readonly tp: TopicPartition;
  readonly epoch: number;
  /** Next offset after the last successfully handled batch of this epoch. */
  position: string | undefined;
  inFlight: number;
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

export class AssignmentTracker {
  private readonly owned = new Map<string, Owned>();
  private lastEpoch = 0;

  assigned(): TopicPartition[] {
    return [...this.owned.values()].map((o) => o.tp);
  }

  /** Applies the complete assignment received from a group join. */
  rebalance(next: readonly TopicPartition[]): AssignmentChange {
    const nextKeys = new Map(next.map((tp) => [partitionKey(tp), tp]));
    const revoked: TopicPartition[] = [];
    const assigned: TopicPartition[] = [];
    const seeks: TopicPartitionOffset[] = [];
    for (const [key, owned] of this.owned) {
      if (!nextKeys.has(key) || owned.inFlight > 0) {
        revoked.push(owned.tp);
        this.owned.delete(key);
      } else if (owned.position !== undefined) {
        seeks.push({ ...owned.tp, offset: owned.position });
      }
    }
    for (const [key, tp] of nextKeys) {
      if (this.owned.has(key)) continue;
      this.owned.set(key, { tp: { topic: tp.topic, partition: tp.partition }, epoch: ++this.lastEpoch, position: undefined, inFlight: 0 });
      assigned.push(tp);
    }
    return { revoked, assigned, seeks };
  }

  /** Ends every ownership (consumer stopped or crashed); returns what was owned. */
  revokeAll(): TopicPartition[] {
    const revoked = this.assigned();
    this.owned.clear();
    return revoked;
  }

  /** Marks a batch as started; undefined when the partition is not owned. */
  begin(tp: TopicPartition): number | undefined {
    const owned = this.owned.get(partitionKey(tp));
    if (!owned) return undefined;
    owned.inFlight++;
    return owned.epoch;
  }

  /** Marks a batch as finished; `position` (next offset) when it was handled successfully. */
  end(tp: TopicPartition, epoch: number, position?: string): void {
    const owned = this.owned.get(partitionKey(tp));
    if (!owned || owned.epoch !== epoch) return;
    owned.inFlight--;
    if (position !== undefined) owned.position = position;
  }

  isCurrent(tp: TopicPartition, epoch: number): boolean {
    return this.owned.get(partitionKey(tp))?.epoch === epoch;
  }

  isOwned(tp: TopicPartition): boolean {
    return this.owned.has(partitionKey(tp));
  }
}
