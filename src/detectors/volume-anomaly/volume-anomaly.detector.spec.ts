import { DetectorTestContext, testEvent } from '../../runtime/testing/detector-test-context.js';
import { DetectorRegistry, GENERIC_DETECTORS } from '../registry.js';
import { BUCKET_STORE, CORE_STORE, volumeAnomalyDetector } from './volume-anomaly.detector.js';

const MINUTE = 60_000;
const BUCKET = 5 * MINUTE;
const T0 = Date.UTC(2026, 0, 5);

/** Feeds `perBucket(i)` posts about `tag` into each 5-minute bucket i, spread inside the bucket. */
function feed(ctx: DetectorTestContext, tag: string, buckets: number, perBucket: (i: number) => number, from = 0): void {
  for (let i = from; i < from + buckets; i++) {
    const n = perBucket(i);
    for (let k = 0; k < n; k++) ctx.process(testEvent(T0 + i * BUCKET + Math.floor((k * BUCKET) / (n + 1)), { hashtag: tag }));
  }
}

/** A steady, slightly noisy volume: 18..22 posts per bucket. */
const steady = (i: number): number => 20 + (((i * 7919) % 5) - 2);

describe('volume-anomaly detector', () => {
  const params = { key: 'hashtag', bucket: '5m' };

  it('is registered under its name', () => {
    expect(new DetectorRegistry(GENERIC_DETECTORS).get('volume_anomaly')).toBe(volumeAnomalyDetector);
  });

  it('explains a burst of one hashtag with its value, baseline, score, threshold and bucket', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, params);
    feed(ctx, '#calm', 600, steady);
    expect(ctx.emitted).toEqual([]);
    feed(ctx, '#calm', 1, () => 200, 600);
    feed(ctx, '#calm', 1, steady, 601); // closes the burst bucket
    expect(ctx.emitted).toHaveLength(1);
    const finding = ctx.emitted[0]!;
    expect(finding).toMatchObject({ entity: '#calm', kind: 'volume.anomaly', windowStart: T0 + 600 * BUCKET, windowEnd: T0 + 601 * BUCKET });
    expect(finding.values!.value).toBe(200);
    expect(finding.values!.baseline).toBeGreaterThan(15);
    expect(finding.values!.baseline).toBeLessThan(25);
    expect(finding.score!).toBeGreaterThanOrEqual(finding.thresholds!.score!);
    expect(finding.eventIds!.length).toBeGreaterThan(0);
    expect(finding.eventIds!.length).toBeLessThanOrEqual(5);
    expect(finding.title).toContain('200 events for #calm in 5m');
  });

  it('never flags a bucket below minValue: a quiet key’s few events are surprising, not a burst', () => {
    const quiet = (i: number): number => (i % 10 === 0 ? 1 : 0);
    const run = (extra: Record<string, unknown>) => {
      const ctx = DetectorTestContext.start(volumeAnomalyDetector, { ...params, profile: 'short', ...extra });
      feed(ctx, '#quiet', 60, quiet);
      feed(ctx, '#quiet', 1, () => 4, 60);
      feed(ctx, '#quiet', 1, () => 1, 61); // closes the bucket of 4
      return ctx.emitted;
    };
    const unguarded = run({});
    expect(unguarded.length).toBeGreaterThan(0);
    expect(run({ minValue: 5 })).toEqual([]);
    const guarded = run({ minValue: 4 });
    expect(guarded.map((f) => f.values!.value)).toEqual(unguarded.filter((f) => f.values!.value! >= 4).map((f) => f.values!.value));
    expect(guarded[0]!.thresholds).toEqual({ score: expect.any(Number), min_value: 4 });
  });

  it('flags a burst of a new key in its first buckets, against the median of its last few', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, params);
    feed(ctx, '#new', 8, steady);
    feed(ctx, '#new', 1, () => 60, 8);
    feed(ctx, '#new', 1, steady, 9);
    expect(ctx.emitted).toHaveLength(1);
    expect(ctx.emitted[0]!.values).toMatchObject({ value: 60, baseline: 20 });
  });

  it('never scores a key’s first bucket, which saw only part of its interval, nor compares the next with it', () => {
    const run = (drops: boolean) => {
      const ctx = DetectorTestContext.start(volumeAnomalyDetector, { ...params, profile: 'short', drops });
      // First seen two thirds into a bucket: a third of the usual count, then steady full buckets.
      for (let k = 0; k < 7; k++) ctx.process(testEvent(T0 + Math.floor((2 * BUCKET) / 3) + k * 10_000, { hashtag: '#ward' }));
      feed(ctx, '#ward', 12, steady, 1);
      return ctx;
    };
    for (const drops of [false, true]) {
      const ctx = run(drops);
      expect(ctx.emitted).toEqual([]);
      // Only complete buckets are points: the 11 closed after the first, not the partial one.
      const core = ctx.store<number[]>(CORE_STORE).get('#ward')!;
      expect(core[0]).toBe(11);
    }
  });

  it('keeps scoring an open bucket restored from a state saved before partial buckets were marked', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, { ...params, profile: 'short' });
    feed(ctx, '#old', 6, steady);
    ctx.store<number[]>(BUCKET_STORE).put('#old', [T0 + 6 * BUCKET, 60]);
    feed(ctx, '#old', 1, steady, 7);
    expect(ctx.emitted.map((f) => f.values!.value)).toEqual([60]);
  });

  it('flags a count falling to a quarter of its recent level only when asked for drops', () => {
    const run = (drops: boolean) => {
      const ctx = DetectorTestContext.start(volumeAnomalyDetector, { ...params, profile: 'short', drops });
      feed(ctx, '#ward', 12, steady);
      feed(ctx, '#ward', 1, () => 5, 12);
      feed(ctx, '#ward', 1, steady, 13);
      return ctx.emitted;
    };
    expect(run(false)).toEqual([]);
    expect(run(true).map((f) => f.values!.value)).toEqual([5]);
  });

  it('keeps each key’s series apart', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, params);
    for (let i = 0; i < 400; i++) {
      feed(ctx, '#a', 1, steady, i);
      feed(ctx, '#b', 1, () => 200, i); // always high: its own normal
    }
    expect(ctx.emitted.filter((f) => f.entity === '#b')).toEqual([]);
    expect(ctx.keyCount()).toBeGreaterThanOrEqual(2);
  });

  it('counts empty buckets as zeros and keeps a small fixed-size state per key', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, params);
    feed(ctx, '#x', 300, steady);
    const core = ctx.store<number[]>(CORE_STORE).get('#x')!;
    const length = core.length;
    feed(ctx, '#x', 1, steady, 320); // 19 empty buckets in between
    expect(ctx.store<number[]>(CORE_STORE).get('#x')!.length).toBe(length);
    expect(ctx.store<number[]>(BUCKET_STORE).get('#x')).toEqual([T0 + 320 * BUCKET, steady(320)]);
    expect(length).toBeLessThan(200);
  });

  it('sums a numeric field instead of counting when `field` is set, and ignores events without it', () => {
    const ctx = DetectorTestContext.start(volumeAnomalyDetector, { key: 'host', field: 'bytes', bucket: '1m' });
    ctx.process(testEvent(T0, { host: 'h1', bytes: 10 }));
    ctx.process(testEvent(T0 + 1000, { host: 'h1', bytes: 32 }));
    ctx.process(testEvent(T0 + 2000, { host: 'h1', bytes: 'n/a' }));
    expect(ctx.store<number[]>(BUCKET_STORE).get('h1')).toEqual([T0, 42, 1]); // the key's first bucket, partial
  });

  it('rejects params it does not know', () => {
    expect(() => volumeAnomalyDetector.meta.params.parse({ bucket: '5m', window: '1h' })).toThrow();
  });
});
