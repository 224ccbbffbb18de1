import type { FeedbackLabel } from '../model/records.js';

/** Labels of one feedback partition, in offset order, from `offsets[0]` on. */
interface PartitionLabels {
  offsets: number[];
  labels: FeedbackLabel[];
  /** Highest offset ever added (trimming does not lower it). */
  last: number;
  /** Every label from this offset on is held (or was never in the topic); lower ones were trimmed. */
  keptFrom: number;
}

/**
 * The labels of the feedback topic this instance has read and some partition runtime may still
 * need, per feedback partition, in offset order. Each runtime keeps, per feedback partition, the
 * offset of the last label it was given (in its changelog meta), so a label is delivered exactly
 * once per partition state, across restarts and rebalances.
 *
 * Memory: labels every runtime held here has passed are trimmed (`trimBefore`). A runtime assigned
 * later whose cursor lies before what is kept needs a `backfill` from the topic first (`missing`).
 */
export class FeedbackBuffer {
  private readonly partitions = new Map<number, PartitionLabels>();

  add(partition: number, offset: number, label: FeedbackLabel): void {
    const labels = this.partition(partition);
    // The tail re-reads from the beginning: anything at or below what was added is a repeat.
    if (offset <= labels.last) return;
    labels.offsets.push(offset);
    labels.labels.push(label);
    labels.last = offset;
  }

  /**
   * Puts back labels read again from the topic, from offset `from` on, after a trim removed them and
   * a runtime whose cursor is older arrived. `entries` are in offset order; only the trimmed range
   * is taken from them.
   */
  backfill(partition: number, from: number, entries: readonly { offset: number; label: FeedbackLabel }[]): void {
    const labels = this.partition(partition);
    if (from >= labels.keptFrom) return;
    const older = entries.filter((entry) => entry.offset >= from && entry.offset < labels.keptFrom);
    labels.offsets.unshift(...older.map((entry) => entry.offset));
    labels.labels.unshift(...older.map((entry) => entry.label));
    labels.keptFrom = from;
  }

  feedbackPartitions(): number[] {
    return [...this.partitions.keys()];
  }

  /**
   * Calls `deliver` with each label after offset `cursor` (−1: from the start), in offset order,
   * while its labelled_at ≤ `eventTime`; returns the new cursor. Stops at the first label not due
   * yet, so labels are given in offset order (the topic is written in labelled_at order).
   */
  deliverDue(partition: number, cursor: number, eventTime: number, deliver: (label: FeedbackLabel) => void): number {
    const labels = this.partitions.get(partition);
    if (!labels) return cursor;
    let i = upperBound(labels.offsets, cursor);
    while (i < labels.offsets.length && labels.labels[i]!.labelled_at <= eventTime) {
      deliver(labels.labels[i]!);
      cursor = labels.offsets[i]!;
      i++;
    }
    return cursor;
  }

  /** True when labels after `cursor` were trimmed away and must be read again (`backfill`) before delivery. */
  missing(partition: number, cursor: number): boolean {
    const labels = this.partitions.get(partition);
    return labels !== undefined && cursor + 1 < labels.keptFrom;
  }

  /** Drops labels at or below `cursor` (every runtime held has passed them). */
  trimBefore(partition: number, cursor: number): void {
    const labels = this.partitions.get(partition);
    if (!labels) return;
    const keepFrom = upperBound(labels.offsets, cursor);
    if (keepFrom === 0) return;
    labels.offsets.splice(0, keepFrom);
    labels.labels.splice(0, keepFrom);
    labels.keptFrom = Math.max(labels.keptFrom, cursor + 1);
  }

  size(): number {
    let total = 0;
    for (const labels of this.partitions.values()) total += labels.offsets.length;
    return total;
  }

  private partition(partition: number): PartitionLabels {
    let labels = this.partitions.get(partition);
    if (!labels) {
      labels = { offsets: [], labels: [], last: -1, keptFrom: 0 };
      this.partitions.set(partition, labels);
    }
    return labels;
  }
}

/** First index whose offset is greater than `offset`. */
function upperBound(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
