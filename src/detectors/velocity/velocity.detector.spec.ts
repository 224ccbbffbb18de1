import { MockDetectorContext, testEvent } from '../../../test/utils/mock-detector-context.js';
import { velocityDetector } from './velocity.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const params = { key: 'card_id', window: '10m', maxCount: 3, maxAmount: 1000, severity: 'high' };

function tx(minute: number, card: string, amount: number) {
  return testEvent(T0 + minute * MINUTE, { card_id: card, amount });
}

describe('velocity detector', () => {
  it('fires when more than maxCount events of one key fall inside the window', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    expect(ctx.process(tx(0, 'c1', 10))).toEqual([]);
    expect(ctx.process(tx(1, 'c1', 10))).toEqual([]);
    expect(ctx.process(tx(2, 'c1', 10))).toEqual([]);
    const [finding, ...rest] = ctx.process(tx(3, 'c1', 10));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      entity: 'c1',
      severity: 'high',
      kind: 'velocity.count',
      windowStart: T0,
      windowEnd: T0 + 3 * MINUTE,
      values: { count: 4, amount: 40 },
      thresholds: { max_count: 3, max_amount: 1000 },
    });
    expect(finding!.eventIds).toHaveLength(4);
  });

  it('keeps keys apart', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    for (let m = 0; m < 4; m++) ctx.process(tx(m, m % 2 === 0 ? 'a' : 'b', 5));
    expect(ctx.emitted).toEqual([]);
  });

  it('slides: events older than the window no longer count', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    ctx.process(tx(0, 'c1', 1));
    ctx.process(tx(4, 'c1', 1));
    ctx.process(tx(8, 'c1', 1));
    // The event at minute 0 is exactly one window old at minute 10: the window is (t-10m, t].
    expect(ctx.process(tx(10, 'c1', 1))).toEqual([]);
    expect(ctx.process(tx(11, 'c1', 1))).toHaveLength(1);
  });

  it('fires on the amount alone', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    ctx.process(tx(0, 'c1', 600));
    const findings = ctx.process(tx(1, 'c1', 500));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'velocity.amount', values: { count: 2, amount: 1100 } });
  });

  it('reports once per window per key instead of once per event', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    for (let m = 0; m < 8; m++) ctx.process(tx(m, 'c1', 1));
    expect(ctx.emitted).toHaveLength(1);
    for (let m = 14; m < 18; m++) ctx.process(tx(m, 'c1', 1));
    expect(ctx.emitted).toHaveLength(2);
  });

  it('counts out-of-order events by their event time', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    ctx.process(tx(5, 'c1', 1));
    ctx.process(tx(3, 'c1', 1));
    ctx.process(tx(4, 'c1', 1));
    const findings = ctx.process(tx(6, 'c1', 1));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.windowStart).toBe(T0 + 3 * MINUTE);
  });

  it('forgets idle keys once their window has passed, bounding state', () => {
    const ctx = MockDetectorContext.start(velocityDetector, params);
    for (let i = 0; i < 100; i++) ctx.process(tx(0, `card-${i}`, 1));
    expect(ctx.keyCount()).toBe(100);
    ctx.advanceTo(T0 + 11 * MINUTE);
    expect(ctx.keyCount()).toBe(0);
  });

  it('rejects bad params with the field named', () => {
    const result = velocityDetector.meta.params.safeParse({ key: 'card_id', window: '10 minutes', maxCount: 3 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['window'], message: 'expected duration like "5m", got "10 minutes"' });
  });

  it('names the fields it reads', () => {
    const p = velocityDetector.meta.params.parse(params);
    expect(velocityDetector.meta.requiredFields(p)).toEqual(['card_id', 'amount']);
  });
});
