import type { FeedbackLabel } from '../model/records.js';

/**
 * Labels waiting for event time to reach their `labelled_at`. With a fixed delay and a file in time
 * order they arrive in order and the queue is a plain FIFO; an out-of-order label is inserted in
 * place (binary search), so the queue is always sorted by `labelled_at`.
 */
export class LabelQueue {
  private items: FeedbackLabel[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(label: FeedbackLabel): void {
    const items = this.items;
    if (items.length === this.head || items[items.length - 1]!.labelled_at <= label.labelled_at) {
      items.push(label);
      return;
    }
    let lo = this.head;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid]!.labelled_at <= label.labelled_at) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, label);
  }

  /** Removes and hands over, in order, every label with labelled_at <= `time`. */
  popUntil(time: number, deliver: (label: FeedbackLabel) => void): void {
    const items = this.items;
    while (this.head < items.length && items[this.head]!.labelled_at <= time) deliver(items[this.head++]!);
    // Compact now and then so delivered labels are released.
    if (this.head > 65_536 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }
}
