import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import { riskScoreDetector } from './risk-score.detector.js';

const T0 = Date.UTC(2026, 0, 1);
const params = {
  bias: -4,
  emitAbove: 0.5,
  criticalAbove: 0.95,
  inputs: [
    { name: 'large_amount', field: 'amount', transform: 'indicator', at: 220, weight: 5 },
    { name: 'amount_ratio', signal: 'card_amount.ratio', cap: 10, missing: 1, weight: 0.5 },
    { signal: 'terminal_risk.rate', weight: 3 },
  ],
};

function pay(amount: number) {
  return testEvent(T0, { card_id: 'c1', amount }, 'c1');
}

describe('risk score detector', () => {
  it('scores every event and publishes each contribution', () => {
    const ctx = DetectorTestContext.start(riskScoreDetector, params);
    expect(ctx.process(pay(20), { 'card_amount.ratio': 2 })).toEqual([]);
    // logit = -4 + 0 + 0.5 * 2 + 0 (no terminal signal) = -3
    expect(ctx.published.score).toBeCloseTo(1 / (1 + Math.exp(3)));
    expect(ctx.published).toMatchObject({ 'contrib.large_amount': 0, 'contrib.amount_ratio': 1, 'contrib.terminal_risk_rate': 0 });
  });

  it('emits a risk.score finding at or above emitAbove, explaining which signals contributed how much', () => {
    const ctx = DetectorTestContext.start(riskScoreDetector, params);
    const [finding] = ctx.process(pay(20), { 'card_amount.ratio': 1, 'terminal_risk.rate': 1.5 });
    // logit = -4 + 0.5 + 4.5 = 1
    expect(finding).toMatchObject({
      entity: 'c1',
      kind: 'risk.score',
      severity: 'high',
      thresholds: { score: 0.5 },
      values: { 'contrib.terminal_risk_rate': 4.5, terminal_risk_rate: 1.5, 'contrib.amount_ratio': 0.5, amount_ratio: 1, 'contrib.large_amount': 0, large_amount: 20 },
    });
    expect(finding!.score).toBeCloseTo(1 / (1 + Math.exp(-1)));
    expect(finding!.title).toBe('risk 0.73 for c1: terminal_risk_rate +4.50, amount_ratio +0.50');
  });

  it('caps inputs, uses the missing value when a signal is absent, and raises critical above criticalAbove', () => {
    const ctx = DetectorTestContext.start(riskScoreDetector, params);
    const [finding] = ctx.process(pay(500), { 'card_amount.ratio': 50 });
    // logit = -4 + 5 + 0.5 * 10 = 6
    expect(finding).toMatchObject({ severity: 'critical', values: { amount_ratio: 10, 'contrib.amount_ratio': 5, 'contrib.large_amount': 5 } });
    ctx.process(pay(10));
    expect(ctx.published['contrib.amount_ratio']).toBe(0.5);
  });

  it('applies log1p and hinge transforms', () => {
    const ctx = DetectorTestContext.start(riskScoreDetector, {
      bias: 0,
      inputs: [
        { name: 'log', field: 'amount', transform: 'log1p', weight: 1 },
        { name: 'over', field: 'amount', transform: 'hinge', at: 100, weight: 1 },
      ],
    });
    ctx.process(pay(150));
    expect(ctx.published['contrib.log']).toBeCloseTo(Math.log(151));
    expect(ctx.published['contrib.over']).toBe(50);
  });

  it('needs exactly one of signal or field per input, and names the fields it reads', () => {
    const bad = riskScoreDetector.meta.params.safeParse({ bias: 0, inputs: [{ weight: 1 }] });
    expect(bad.error!.issues[0]).toMatchObject({ path: ['inputs', 0], message: 'set exactly one of signal or field' });
    expect(riskScoreDetector.meta.requiredFields(riskScoreDetector.meta.params.parse(params))).toEqual(['amount']);
  });
});
