import { groupLag, type GroupOffsets } from './consumer-lag.js';
import { CONSUMER_LAG_COLUMNS, consumerLagRow } from './consumer-lag-row.js';

const watermarks = (...partitions: [low: number, high: number][]) => partitions.map(([low, high], partition) => ({ partition, low: String(low), high: String(high) }));

function offsets(overrides: Partial<GroupOffsets>): GroupOffsets {
  return {
    stage: 'sink',
    group: 'vigil.payments.sink',
    topics: new Map([
      ['payments', watermarks([0, 100], [0, 50])],
      ['payments.dlq', watermarks([10, 12])],
    ]),
    committed: [],
    ...overrides,
  };
}

describe('groupLag', () => {
  it('is end minus committed per partition, from the low watermark where the group has not committed yet', () => {
    const lags = groupLag(offsets({ committed: [{ topic: 'payments', partition: 0, offset: '60' }, { topic: 'payments', partition: 1, offset: '50' }] }));
    expect(lags.map(({ topic, partition, committed, end, lag }) => ({ topic, partition, committed, end, lag }))).toEqual([
      { topic: 'payments', partition: 0, committed: 60n, end: 100n, lag: 40n },
      { topic: 'payments', partition: 1, committed: 50n, end: 50n, lag: 0n },
      // Retention removed offsets 0..9: the group would start at 10.
      { topic: 'payments.dlq', partition: 0, committed: -1n, end: 12n, lag: 2n },
    ]);
    expect(new Set(lags.map((l) => `${l.stage} ${l.group}`))).toEqual(new Set(['sink vigil.payments.sink']));
  });

  it('leaves out a group that has committed nothing (its stage has not run)', () => {
    expect(groupLag(offsets({ committed: [] }))).toEqual([]);
  });

  it('is never negative: a commit past the end (topic re-created) counts as no lag', () => {
    const [lag] = groupLag(offsets({ topics: new Map([['payments', watermarks([0, 5])]]), committed: [{ topic: 'payments', partition: 0, offset: '90' }] }));
    expect(lag).toMatchObject({ committed: 90n, end: 5n, lag: 0n });
  });

  it('keeps offsets beyond 2^53 exact', () => {
    const [lag] = groupLag(offsets({ topics: new Map([['payments', [{ partition: 0, low: '0', high: '9007199254740995' }]]]), committed: [{ topic: 'payments', partition: 0, offset: '9007199254740993' }] }));
    expect(lag!.lag).toBe(2n);
    expect(consumerLagRow('payments', 0, lag!).slice(-3)).toEqual(['9007199254740993', '9007199254740995', '2']);
  });
});

describe('consumerLagRow', () => {
  it('fills the consumer_lag columns in order, offsets as exact text', () => {
    const [lag] = groupLag(offsets({ committed: [{ topic: 'payments', partition: 0, offset: '60' }] }));
    const row = consumerLagRow('payments', Date.UTC(2026, 10, 25, 12, 0, 0, 5), lag!);
    expect(Object.fromEntries(CONSUMER_LAG_COLUMNS.map((c, i) => [c, row[i]]))).toEqual({
      time: '2026-11-25 12:00:00.005',
      template: 'payments',
      consumer_group: 'vigil.payments.sink',
      stage: 'sink',
      topic: 'payments',
      partition: 0,
      committed_offset: '60',
      end_offset: '100',
      lag: '40',
    });
  });
});
