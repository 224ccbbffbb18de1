import type { DetectorContext } from '../../model/detector.js';
import { testEvent } from '../testing/detector-test-context.js';
import type { FieldValue } from '../../model/records.js';
import { SlidingAggregate, type SlidingAggregateOptions, type SlidingWindow } from './sliding-aggregate.js';
import { jitter, seeded, startProbe } from './testing/probe-detector.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A probe that adds every event's `amount` under its `card` and emits the aggregate it got back. */
function start(options: SlidingAggregateOptions) {
  const results: (SlidingWindow | undefined)[] = [];
  let windows: SlidingAggregate | undefined;
  const ctx = startProbe((context) => {
    windows = SlidingAggregate.open(context, 'sliding', options);
    return { process: (event) => void results.push(windows!.add(String(event.fields.card), event.time, Number(event.fields.amount))) };
  });
  const add = (time: number, amount: number, card: FieldValue = 'c1') => {
    ctx.process(testEvent(time, { card, amount }));
    return results.at(-1);
  };
  return { ctx, add, windows: windows!, state: (card = 'c1') => ctx.store<number[]>('sliding').get(card) };
}

describe('SlidingAggregate', () => {
  it('aggregates count, sum, min and max over the look-back of each key', () => {
    const { add } = start({ window: 10 * MINUTE });
    add(T0, 5);
    add(T0 + MINUTE, 20, 'other');
    add(T0 + 2 * MINUTE, -3);
    expect(add(T0 + 9 * MINUTE, 7)).toEqual({ count: 3, sum: 9, min: -3, max: 7, start: T0, end: T0 + 9 * MINUTE });
    expect(add(T0 + 11 * MINUTE, 1)).toEqual({ count: 3, sum: 5, min: -3, max: 7, start: T0 + 2 * MINUTE, end: T0 + 11 * MINUTE });
  });

  it('counts an event iff its bucket starts at or after bucket(latest) + B − W: the edge bucket is out', () => {
    // W = 10m, N = 60: B = 10s. At 10:03 the window is [0:10, 10:03].
    const { add, windows } = start({ window: 10 * MINUTE });
    expect(windows.bucketMs).toBe(10 * SECOND);
    add(T0 + 5 * SECOND, 1); // inside (t − W, t] at 10:03, but in the edge bucket [0:00, 0:10)
    add(T0 + 10 * SECOND, 10); // first counted bucket
    add(T0 + 10 * SECOND + 9_999, 100);
    expect(add(T0 + 10 * MINUTE + 3 * SECOND, 0)).toMatchObject({ count: 3, sum: 110, start: T0 + 10 * SECOND });
    expect(add(T0 + 10 * MINUTE + 9_999, 0)).toMatchObject({ count: 4, sum: 110 });
    // At 10:10 the bucket [0:10, 0:20) becomes the edge: exactly one window old, out.
    expect(add(T0 + 10 * MINUTE + 10 * SECOND, 0)).toMatchObject({ count: 3, sum: 0, start: T0 + 10 * MINUTE });
  });

  it('never counts an event a window old, and misses at most the edge bucket (random check against exact)', () => {
    for (const [window, buckets] of [
      [10 * MINUTE, 60],
      [7 * SECOND, 60], // B = ceil(7000 / 60) = 117 ms does not divide W: the miss stays under 2B
      [MINUTE, 7],
    ] as const) {
      const { add, windows } = start({ window, buckets });
      const random = seeded(window + buckets);
      const times: number[] = [];
      let t = T0;
      for (let i = 0; i < 2_000; i++) {
        t += Math.floor(random() * (window / 20));
        times.push(t);
        const got = add(t, 1)!;
        const exact = times.filter((e) => e > t - window).length;
        const missable = times.filter((e) => e > t - window && e < t - window + 2 * windows.bucketMs).length;
        expect(got.count).toBeLessThanOrEqual(exact);
        expect(got.count).toBeGreaterThanOrEqual(exact - missable);
        expect(got.start).toBeGreaterThan(t - window);
      }
    }
  });

  it('keeps one number array per key whose length depends on buckets, not on events', () => {
    const { add, state } = start({ window: 10 * MINUTE, header: 2 });
    add(T0, 1);
    expect(state()).toEqual([0, 0, T0, T0, 1, 1, 1, 1]);
    for (let i = 0; i < 20_000; i++) add(T0 + i * 90, i % 7);
    // 30 minutes of events, ten per 900 ms: never more than the 60 buckets of one window.
    expect(state()!.length).toBe(2 + 1 + 60 * 5);
    expect(JSON.parse(JSON.stringify(state()))).toEqual(state());
  });

  it('keeps only count and sum per bucket without minMax', () => {
    const { add, state } = start({ window: 10 * MINUTE, minMax: false });
    expect(add(T0, 4)).toEqual({ count: 1, sum: 4, min: undefined, max: undefined, start: T0, end: T0 });
    add(T0 + 2 * SECOND, 6);
    add(T0 + MINUTE, 1);
    expect(state()).toEqual([T0 + MINUTE, T0, 2, 10, T0 + MINUTE, 1, 1]);
  });

  it('counts an out-of-order event in its own bucket and reports the window of the key’s latest event', () => {
    const { add, state } = start({ window: 10 * MINUTE });
    add(T0 + 5 * MINUTE, 1);
    add(T0 + 9 * MINUTE, 1);
    expect(add(T0 + 2 * MINUTE, 5)).toEqual({ count: 3, sum: 7, min: 1, max: 5, start: T0 + 2 * MINUTE, end: T0 + 9 * MINUTE });
    expect(state()!.filter((_, i) => i > 0 && (i - 1) % 5 === 0)).toEqual([T0 + 2 * MINUTE, T0 + 5 * MINUTE, T0 + 9 * MINUTE]);
  });

  it('drops an event whose bucket has left the window of the key’s latest event', () => {
    const { add, state } = start({ window: 10 * MINUTE });
    add(T0 + 10 * MINUTE + 3 * SECOND, 1);
    const before = [...state()!];
    expect(add(T0 + 9 * SECOND, 1)).toBeUndefined(); // in the edge bucket: out, as above
    expect(state()).toEqual(before);
    expect(add(T0 + 10 * SECOND, 1)).toMatchObject({ count: 2 });
  });

  it('ends in the same state whatever the arrival order within the window (deterministic)', () => {
    const random = seeded(7);
    const events = Array.from({ length: 500 }, (_, i) => ({ time: T0 + i * 700 + Math.floor(random() * 600), amount: Math.floor(random() * 100) }));
    const run = (order: typeof events) => {
      const { add, state } = start({ window: 5 * MINUTE, buckets: 30 });
      for (const e of order) add(e.time, e.amount);
      return state();
    };
    const inOrder = run(events);
    expect(run(jitter(events, 2 * MINUTE, 1))).toEqual(inOrder);
    expect(run(jitter(events, 2 * MINUTE, 2))).toEqual(inOrder);
    expect(run(events)).toEqual(inOrder);
  });

  it('gives the caller header slots in the same array', () => {
    const { add, windows, state } = start({ window: MINUTE, header: 1 });
    expect(windows.setHeader('c1', 0, 42)).toBe(false);
    add(T0, 1);
    expect(windows.header('c1', 0)).toBe(0);
    expect(windows.setHeader('c1', 0, T0 + MINUTE)).toBe(true);
    add(T0 + SECOND, 1);
    expect(windows.header('c1', 0)).toBe(T0 + MINUTE);
    expect(windows.get('c1')).toMatchObject({ count: 2 });
    expect(state()![0]).toBe(T0 + MINUTE);
    expect(() => windows.header('c1', 1)).toThrow('header slot 1 out of range: this aggregate reserves 1');
  });

  it('stores only finite numbers, so state survives the JSON changelog', () => {
    const { add, state } = start({ window: MINUTE });
    add(T0, Number.NaN);
    add(T0 + 1, Infinity);
    expect(state()!.every(Number.isFinite)).toBe(true);
  });

  it('rejects a bad window or bucket count', () => {
    let ctx!: DetectorContext;
    startProbe((context) => {
      ctx = context;
      return { process: () => undefined };
    });
    expect(() => SlidingAggregate.open(ctx, 's', { window: 0 })).toThrow('window must be a positive number of milliseconds, got 0');
    expect(() => SlidingAggregate.open(ctx, 's', { window: MINUTE, buckets: 1.5 })).toThrow('buckets must be a positive integer, got 1.5');
  });
});
