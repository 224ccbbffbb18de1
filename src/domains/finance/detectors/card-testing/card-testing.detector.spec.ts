import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import { cardTestingDetector } from './card-testing.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const params = { probes: { count: 3, maxAmount: 2, within: '10m' }, cashOut: { minAmount: 100, within: '30m' } };

function pay(minute: number, amount: number, card = 'c1', terminal = 't1') {
  return testEvent(T0 + minute * MINUTE, { card_id: card, amount, terminal_id: terminal });
}

describe('card testing detector', () => {
  it('flags the cash-out after a run of tiny probes, naming both events', () => {
    const ctx = DetectorTestContext.start(cardTestingDetector, params);
    ctx.process(pay(0, 1, 'c1', 'web1'));
    ctx.process(pay(2, 0.5, 'c1', 'web2'));
    const lastProbe = pay(4, 1.5, 'c1', 'web3');
    ctx.process(lastProbe);
    expect(ctx.emitted).toEqual([]);
    ctx.process(pay(10, 40)); // an ordinary payment is neither
    const cashOut = pay(20, 900);
    const [finding, ...rest] = ctx.process(cashOut);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      entity: 'c1',
      kind: 'card_testing',
      severity: 'high',
      windowStart: T0,
      windowEnd: cashOut.time,
      values: { probes: 3, probing_ms: 4 * MINUTE, cash_out_after_ms: 16 * MINUTE },
      eventIds: [lastProbe.id, cashOut.id],
    });
    expect(ctx.published).toEqual({ matched: 1 });
  });

  it('reports probing that nothing large follows as a low "probed" finding when the wait is over', () => {
    const ctx = DetectorTestContext.start(cardTestingDetector, params);
    for (const m of [0, 1, 2]) ctx.process(pay(m, 1));
    ctx.advanceTo(T0 + 32 * MINUTE);
    expect(ctx.emitted.map((f) => [f.kind, f.severity])).toEqual([['card_testing.probed', 'low']]);
  });

  it('needs the probes close together and on the same card', () => {
    const ctx = DetectorTestContext.start(cardTestingDetector, params);
    ctx.process(pay(0, 1));
    ctx.process(pay(6, 1));
    ctx.process(pay(12, 1)); // three probes, but over 12 minutes
    ctx.process(pay(13, 500));
    ctx.process(pay(20, 1, 'c2'));
    ctx.process(pay(21, 1, 'c3'));
    ctx.process(pay(22, 1, 'c4'));
    ctx.process(pay(23, 500, 'c4'));
    ctx.advanceTo(T0 + 3 * 60 * MINUTE);
    expect(ctx.emitted).toEqual([]);
  });

  it('keeps its state within probes + cash-out windows', () => {
    const p = cardTestingDetector.meta.params.parse(params);
    expect(cardTestingDetector.meta.stateTtl(p)).toBe(40 * MINUTE);
    expect(cardTestingDetector.meta.requiredFields(p)).toEqual(['card_id', 'amount']);
  });
});
