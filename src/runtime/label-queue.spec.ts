import type { FeedbackLabel } from '../model/records.js';
import { LabelQueue } from './label-queue.js';

const label = (labelledAt: number): FeedbackLabel => ({
  event_id: `tx-${labelledAt}`,
  time: labelledAt - 10,
  labelled_at: labelledAt,
  entity: 'c',
  customer_id: 'u',
  terminal_id: 't',
  fraud: false,
  scenario: '',
});

describe('LabelQueue', () => {
  it('hands over labels in labelled_at order once time reaches them, even when pushed out of order', () => {
    const queue = new LabelQueue();
    for (const t of [10, 20, 15, 30, 5, 20]) queue.push(label(t));
    const seen: number[] = [];
    queue.popUntil(4, (l) => seen.push(l.labelled_at));
    expect(seen).toEqual([]);
    queue.popUntil(20, (l) => seen.push(l.labelled_at));
    expect(seen).toEqual([5, 10, 15, 20, 20]);
    expect(queue.size).toBe(1);
  });

  it('releases delivered labels as it goes (large FIFO)', () => {
    const queue = new LabelQueue();
    let delivered = 0;
    for (let i = 0; i < 300_000; i++) {
      queue.push(label(i));
      queue.popUntil(i - 1000, () => delivered++);
    }
    expect(delivered + queue.size).toBe(300_000);
    expect(queue.size).toBe(1000); // labelled_at i-999..i
  });
});
