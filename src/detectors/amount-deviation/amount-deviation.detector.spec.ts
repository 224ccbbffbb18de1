import { DetectorTestContext, testEvent } from '../../runtime/testing/detector-test-context.js';
import { amountDeviationDetector, BASELINE_STORE } from './amount-deviation.detector.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const params = { key: 'card_id', minHistory: 5, ratioAbove: 4, zAbove: 5 };

function pay(i: number, amount: number, card = 'c1') {
  return testEvent(T0 + i * HOUR, { card_id: card, amount });
}

/** A customer paying around 40 (38..42), then whatever `last` is. */
function history(ctx: DetectorTestContext, n = 20, card = 'c1'): number {
  for (let i = 0; i < n; i++) ctx.process(pay(i, 40 + ((i % 5) - 2), card));
  return n;
}

describe('amount deviation detector', () => {
  it('flags an amount far above the card’s usual ones, explaining the baseline', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    const n = history(ctx);
    expect(ctx.emitted).toEqual([]);
    const [finding, ...rest] = ctx.process(pay(n, 400));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ entity: 'c1', kind: 'amount.deviation', severity: 'medium', thresholds: { ratio: 4, z: 5 } });
    expect(finding!.values!.baseline_mean).toBeCloseTo(40, 0);
    expect(finding!.values!.ratio).toBeGreaterThan(9);
    expect(ctx.published.ratio).toBeCloseTo(400 / finding!.values!.baseline_mean!, 1);
  });

  it('publishes ratio, z, mean, recent and recent_flagged for every scored payment, and only history before minHistory', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    ctx.process(pay(0, 40));
    expect(ctx.published).toEqual({ history: 0 });
    for (let i = 1; i < 5; i++) ctx.process(pay(i, 40));
    expect(Object.keys(ctx.published)).toEqual(['history']);
    ctx.process(pay(5, 40));
    expect(ctx.published).toMatchObject({ history: 5, ratio: 1 });
    expect(ctx.published.z).toBeCloseTo(0, 5);
  });

  it('scores before learning: a payment never counts in its own baseline', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    for (let i = 0; i < 10; i++) ctx.process(pay(i, 50));
    ctx.process(pay(10, 150));
    expect(ctx.published.ratio).toBe(3);
  });

  it('stays robust to the frauds it catches: a drained account does not make large payments normal', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    const n = history(ctx);
    for (let i = 0; i < 10; i++) ctx.process(pay(n + i, 500));
    expect(ctx.emitted).toHaveLength(10);
    const [, mean] = ctx.store<number[]>(BASELINE_STORE).get('c1')!;
    expect(mean).toBeCloseTo(40, 0);
  });

  it('winsorises amounts that are high but not flagged, so they move the baseline only a little', () => {
    const robust = DetectorTestContext.start(amountDeviationDetector, { ...params, ratioAbove: 100 });
    const n = history(robust);
    for (let i = 0; i < 5; i++) robust.process(pay(n + i, 300));
    const [, mean] = robust.store<number[]>(BASELINE_STORE).get('c1')!;
    // Unclipped, five 300s with alpha 0.05 would lift the mean to about 100.
    expect(mean).toBeLessThan(60);
  });

  it('keeps cards apart and one 5-number array per card', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    history(ctx, 10, 'a');
    history(ctx, 10, 'b');
    ctx.process(pay(30, 40, 'b'));
    expect(ctx.emitted).toEqual([]);
    expect(ctx.store<number[]>(BASELINE_STORE).get('a')).toHaveLength(5);
  });

  it('follows recent spending with a plain EWMA (recent) while the robust baseline (mean) holds', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, { ...params, recentAlpha: 0.5 });
    for (let i = 0; i < 10; i++) ctx.process(pay(i, 40));
    // Four payments of 200 (flagged, so not learnt by the baseline) still enter `recent`.
    for (let i = 0; i < 4; i++) ctx.process(pay(10 + i, 200));
    ctx.process(pay(14, 40));
    expect(ctx.published.mean).toBeCloseTo(40, 5);
    // 40 → 120 → 160 → 180 → 190, before this payment is learnt.
    expect(ctx.published.recent).toBeCloseTo(190, 5);
  });

  it('remembers for a while that the card made a payment it flagged (recent_flagged)', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, { ...params, recentAlpha: 0.2 });
    const n = history(ctx);
    expect(ctx.published.recent_flagged).toBe(0);
    ctx.process(pay(n, 400));
    expect(ctx.emitted).toHaveLength(1);
    // The flagged payment itself is scored on what was known before it.
    expect(ctx.published.recent_flagged).toBe(0);
    ctx.process(pay(n + 1, 60));
    expect(ctx.published.recent_flagged).toBeCloseTo(0.2, 10);
    ctx.process(pay(n + 2, 40));
    // 60 was not flagged: the memory fades by (1 − recentAlpha) per payment.
    expect(ctx.published.recent_flagged).toBeCloseTo(0.16, 10);
  });

  it('reads a baseline stored before `recent` and `recent_flagged` existed, starting recent at its mean, none flagged', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    ctx.store<number[]>(BASELINE_STORE).put('c1', [10, 50, 5]);
    ctx.process(pay(0, 50));
    expect(ctx.published).toMatchObject({ history: 10, ratio: 1, mean: 50, recent: 50, recent_flagged: 0 });
    expect(ctx.store<number[]>(BASELINE_STORE).get('c1')).toEqual([11, 50, expect.any(Number), 50, 0]);
    ctx.store<number[]>(BASELINE_STORE).put('c2', [10, 50, 5, 60]);
    ctx.process(pay(1, 50, 'c2'));
    expect(ctx.published).toMatchObject({ recent: 60, recent_flagged: 0 });
  });

  it('ignores events without the key or a usable amount', () => {
    const ctx = DetectorTestContext.start(amountDeviationDetector, params);
    ctx.process(testEvent(T0, { card_id: null, amount: 10 }));
    ctx.process(testEvent(T0, { card_id: 'c1', amount: null }));
    expect(ctx.keyCount()).toBe(0);
  });

  it('rejects bad params with the field named and reads key and amount', () => {
    const bad = amountDeviationDetector.meta.params.safeParse({ alpha: 2 });
    expect(bad.error!.issues[0]).toMatchObject({ path: ['alpha'] });
    const p = amountDeviationDetector.meta.params.parse({});
    expect(amountDeviationDetector.meta.requiredFields(p)).toEqual(['customer_id', 'amount']);
  });
});
