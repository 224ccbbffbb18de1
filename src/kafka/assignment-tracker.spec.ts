import { describe, expect, it } from '@jest/globals';
import { AssignmentTracker } from './assignment-tracker.js';

const tp = (partition: number, topic = 't') => ({ topic, partition });

describe('AssignmentTracker', () => {
  it('reports the first assignment as assigned', () => {
    const tracker = new AssignmentTracker();
    expect(tracker.rebalance([tp(0), tp(1)])).toEqual({ revoked: [], assigned: [tp(0), tp(1)], seeks: [] });
    expect(tracker.assigned()).toEqual([tp(0), tp(1)]);
  });

  it('revokes what moved away, assigns what is new, and keeps the rest with its position', () => {
    const tracker = new AssignmentTracker();
    tracker.rebalance([tp(0), tp(1)]);
    const epoch = tracker.begin(tp(0))!;
    tracker.end(tp(0), epoch, '42');

    expect(tracker.rebalance([tp(0), tp(2)])).toEqual({
      revoked: [tp(1)],
      assigned: [tp(2)],
      seeks: [{ ...tp(0), offset: '42' }],
    });
    expect(tracker.isCurrent(tp(0), epoch)).toBe(true);
  });

  it('keeps a partition without a seek when nothing was handled yet (kafkajs restarts it from the commit)', () => {
    const tracker = new AssignmentTracker();
    tracker.rebalance([tp(0)]);
    expect(tracker.rebalance([tp(0)])).toEqual({ revoked: [], assigned: [], seeks: [] });
  });

  it('revokes and re-assigns a kept partition whose batch is still in flight, ending that batch epoch', () => {
    const tracker = new AssignmentTracker();
    tracker.rebalance([tp(0)]);
    const epoch = tracker.begin(tp(0))!;

    expect(tracker.rebalance([tp(0)])).toEqual({ revoked: [tp(0)], assigned: [tp(0)], seeks: [] });
    expect(tracker.isCurrent(tp(0), epoch)).toBe(false);
    // The late end of the old batch neither moves the new epoch's position nor its in-flight count.
    tracker.end(tp(0), epoch, '10');
    expect(tracker.rebalance([tp(0)])).toEqual({ revoked: [], assigned: [], seeks: [] });
  });

  it('does not move the position when a batch ends without success', () => {
    const tracker = new AssignmentTracker();
    tracker.rebalance([tp(0)]);
    tracker.end(tp(0), tracker.begin(tp(0))!, '5');
    tracker.end(tp(0), tracker.begin(tp(0))!);
    expect(tracker.rebalance([tp(0)]).seeks).toEqual([{ ...tp(0), offset: '5' }]);
  });

  it('revokeAll ends every ownership and begin() refuses partitions not owned', () => {
    const tracker = new AssignmentTracker();
    tracker.rebalance([tp(0), tp(0, 'u')]);
    const epoch = tracker.begin(tp(0))!;
    expect(tracker.revokeAll()).toEqual([tp(0), tp(0, 'u')]);
    expect(tracker.isCurrent(tp(0), epoch)).toBe(false);
    expect(tracker.isOwned(tp(0))).toBe(false);
    expect(tracker.begin(tp(0))).toBeUndefined();
    expect(tracker.rebalance([tp(0)]).assigned).toEqual([tp(0)]);
  });
});
