import type { PartitionWatermarks, TopicPartitionOffset } from '../kafka/kafka.types.js';

/** How far one consumer group is behind on one partition, at one sample. */
export interface PartitionLag {
  readonly stage: string;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (the next it will read), -1n when it has none on this partition. */
  readonly committed: bigint;
  /** The partition's end offset (high watermark). */
  readonly end: bigint;
  /** Messages written but not yet committed by the group; never negative. */
  readonly lag: bigint;
}

export interface GroupOffsets {
  readonly stage: string;
  readonly group: string;
  /** Watermarks of each topic the group reads. */
  readonly topics: ReadonlyMap<string, readonly PartitionWatermarks[]>;
  /** What the group has committed on those topics (partitions without a commit are absent). */
  readonly committed: readonly TopicPartitionOffset[];
}

/**
 * Lag of every partition of the group's topics. A group that has committed nothing at all is left
 * out: its stage has not run yet (or is not deployed), and reporting all of its topics as lag
 * would be noise. On a partition the group has not committed yet, it starts from the earliest
 * offset (stages consume from the beginning), so the lag counts from the partition's low
 * watermark. A committed offset past the end (a topic re-created under the group) counts as 0.
 */
export function groupLag(offsets: GroupOffsets): PartitionLag[] {
  if (offsets.committed.length === 0) return [];
  const committed = new Map(offsets.committed.map((o) => [`${o.topic}\u0000${o.partition}`, BigInt(o.offset)]));
  const lags: PartitionLag[] = [];
  for (const [topic, partitions] of offsets.topics) {
    for (const { partition, low, high } of partitions) {
      const at = committed.get(`${topic}\u0000${partition}`);
      const end = BigInt(high);
      const from = at ?? BigInt(low);
      lags.push({ stage: offsets.stage, group: offsets.group, topic, partition, committed: at ?? -1n, end, lag: end > from ? end - from : 0n });
    }
  }
  return lags;
}
