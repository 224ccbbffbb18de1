import { DetectorTestContext, testEvent } from '../../runtime/testing/detector-test-context.js';
import { firstSeenDetector } from './first-seen.detector.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function pay(day: number, terminal: string, customer = 'cus1') {
  return testEvent(T0 + day * DAY, { customer_id: customer, terminal_id: terminal });
}

describe('first-seen detector', () => {
  it('says nothing until the customer has a history, then flags terminals they never used', () => {
    const ctx = DetectorTestContext.start(firstSeenDetector, { minHistory: 4, emit: true });
    for (let i = 0; i < 4; i++) {
      ctx.process(pay(i, i % 2 === 0 ? 'home' : 'work'));
      expect(ctx.published).toEqual({});
    }
    ctx.process(pay(4, 'home'));
    expect(ctx.published).toEqual({ new: 0, known: 2 });
    expect(ctx.emitted).toEqual([]);
    const [finding] = ctx.process(pay(5, 'elsewhere'));
    expect(ctx.published).toEqual({ new: 1, known: 2 });
    expect(finding).toMatchObject({ entity: 'cus1', kind: 'first_seen.terminal', severity: 'low', values: { known: 2, payments: 5 } });
    ctx.process(pay(6, 'elsewhere'));
    expect(ctx.published.new).toBe(0);
  });

  it('forgets a terminal unused for longer than `remember`, and only emits when asked', () => {
    const ctx = DetectorTestContext.start(firstSeenDetector, { minHistory: 1, remember: '30d' });
    ctx.process(pay(0, 'shop'));
    ctx.process(pay(10, 'shop'));
    expect(ctx.published.new).toBe(0);
    ctx.process(pay(45, 'shop'));
    expect(ctx.published.new).toBe(1);
    expect(ctx.emitted).toEqual([]);
  });

  it('keeps customers apart', () => {
    const ctx = DetectorTestContext.start(firstSeenDetector, { minHistory: 1 });
    ctx.process(pay(0, 'shop', 'a'));
    ctx.process(pay(1, 'shop', 'b'));
    ctx.process(pay(2, 'shop', 'b'));
    expect(ctx.published).toEqual({ new: 0, known: 1 });
  });
});

