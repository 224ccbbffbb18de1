import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import type { FeedbackLabel } from '../../../../model/records.js';
import { labelRiskDetector, LABELS_STORE } from './label-risk.detector.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const params = { key: 'terminal_id', window: '14d', signalWindows: ['8d'], minFrauds: 2, emitAbove: 0.5 };

function label(txDay: number, terminal: string, fraud: boolean, delayDays = 7): FeedbackLabel {
  const time = T0 + txDay * DAY;
  return { event_id: `tx-${txDay}-${terminal}`, time, labelled_at: time + delayDays * DAY, entity: 'card', customer_id: 'cus', terminal_id: terminal, fraud, scenario: '' };
}

function tx(day: number, terminal: string) {
  return testEvent(T0 + day * DAY, { terminal_id: terminal });
}

describe('label risk detector', () => {
  it('knows nothing of a terminal before its labels arrive', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.process(tx(0, 't1'));
    ctx.process(tx(1, 't1'));
    expect(ctx.published).toEqual({});
    expect(ctx.emitted).toEqual([]);
  });

  it('publishes the fraud rate among arrived labels and flags a compromised terminal', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.feedback(label(0, 't1', true));
    ctx.feedback(label(1, 't1', true));
    ctx.feedback(label(1, 't1', false));
    // At day 9.5 the 8-day look-back starts at 1.5: day 0's bucket is out, day 1's (partly inside) in.
    const [finding, ...rest] = ctx.process(tx(9.5, 't1'));
    expect(rest).toEqual([]);
    expect(ctx.published).toMatchObject({ rate: 2 / 3, frauds: 2, labelled: 3, rate_8d: 1 / 2, frauds_8d: 1, labelled_8d: 2 });
    expect(finding).toMatchObject({ entity: 't1', kind: 'terminal.label_risk', severity: 'high', values: { frauds: 2, labelled: 3 } });
    // Quiet for a day: the next transaction of the terminal is scored, not reported again.
    expect(ctx.process(tx(9.6, 't1'))).toEqual([]);
    expect(ctx.published.rate).toBeCloseTo(2 / 3);
    // The latest known fraud is the transaction of day 1: 8.6 days before.
    expect(ctx.published.last_fraud_days).toBeCloseTo(8.6);
    // The oldest known fraud in the window is in day 0's bucket: 9.6 days before.
    expect(ctx.published.first_fraud_days).toBeCloseTo(9.6);
  });

  it('dates the oldest known fraud still in the window, and publishes none without frauds', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.feedback(label(0, 't1', false));
    ctx.feedback(label(2, 't1', true));
    ctx.feedback(label(5, 't1', true));
    ctx.process(tx(12.5, 't1'));
    expect(ctx.published.first_fraud_days).toBeCloseTo(10.5);
    // At day 17.5 day 2's bucket has left the 14-day window: day 5's fraud is the oldest.
    ctx.process(tx(17.5, 't1'));
    expect(ctx.published.first_fraud_days).toBeCloseTo(12.5);
    ctx.feedback(label(11, 't2', false));
    ctx.process(tx(18.5, 't2'));
    expect(ctx.published).toMatchObject({ rate: 0, labelled: 1 });
    expect(ctx.published.first_fraud_days).toBeUndefined();
  });

  it('forgets labels of transactions older than the window', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.feedback(label(0, 't1', true));
    ctx.feedback(label(0, 't1', true));
    ctx.process(tx(13, 't1'));
    expect(ctx.published.frauds).toBe(2);
    ctx.process(tx(15, 't1'));
    expect(ctx.published).toEqual({});
    expect(ctx.store(LABELS_STORE).get('t1')).toBeUndefined();
  });

  it('keeps terminals apart, and counts genuine labels against the rate', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.feedback(label(0, 't1', true));
    for (let i = 0; i < 9; i++) ctx.feedback(label(0, 't2', false));
    ctx.feedback(label(0, 't2', true));
    ctx.process(tx(7.5, 't2'));
    expect(ctx.published.rate).toBeCloseTo(0.1);
    expect(ctx.emitted).toEqual([]);
  });

  it('says whether the latest labelled transaction is a fraud: a genuine one after it ends the streak', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    ctx.feedback(label(0, 't1', false));
    ctx.process(tx(7.5, 't1'));
    // No fraud known: no streak to speak of.
    expect(ctx.published.latest_fraud).toBeUndefined();
    ctx.feedback(label(1, 't1', true));
    ctx.feedback(label(2, 't1', true));
    ctx.process(tx(9.5, 't1'));
    expect(ctx.published.latest_fraud).toBe(1);
    ctx.feedback(label(3, 't1', false));
    ctx.process(tx(10.5, 't1'));
    expect(ctx.published).toMatchObject({ latest_fraud: 0, frauds: 2, labelled: 4 });
    // Order of arrival does not matter, transaction time does: a late fraud label of day 4 is the latest.
    ctx.feedback(label(4, 't1', true, 1));
    ctx.process(tx(10.6, 't1'));
    expect(ctx.published.latest_fraud).toBe(1);
  });

  it('reads state stored before the latest genuine label was kept, as if none were known', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, params);
    const fraudTime = T0 + 2 * DAY;
    // [quietUntil, lastFraudTime, bucket of day 1: 3 labelled, 0 frauds, bucket of day 2: 2 labelled, 1 fraud]
    ctx.store<number[]>(LABELS_STORE).put('t1', [0, fraudTime, T0 + DAY, 3, 0, fraudTime, 2, 1]);
    ctx.process(tx(9.5, 't1'));
    expect(ctx.published).toMatchObject({ rate: 1 / 5, frauds: 1, labelled: 5, latest_fraud: 1 });
    ctx.feedback(label(3, 't1', false));
    ctx.process(tx(10.5, 't1'));
    expect(ctx.published).toMatchObject({ rate: 1 / 6, latest_fraud: 0 });
    expect(ctx.store<number[]>(LABELS_STORE).get('t1')).toEqual([0, fraudTime, T0 + 3 * DAY, T0 + DAY, 3, 0, fraudTime, 2, 1, T0 + 3 * DAY, 1, 0]);
  });

  it('can key by the card (entity) or customer instead of the terminal', () => {
    const ctx = DetectorTestContext.start(labelRiskDetector, { ...params, key: 'customer_id', labelKey: 'customer_id' });
    ctx.feedback(label(0, 't1', true));
    ctx.process(testEvent(T0 + 7.5 * DAY, { customer_id: 'cus' }));
    expect(ctx.published.rate).toBe(1);
  });

  it('rejects signal windows longer than the window', () => {
    const result = labelRiskDetector.meta.params.safeParse({ window: '7d', signalWindows: ['8d'] });
    expect(result.error!.issues[0]).toMatchObject({ path: ['signalWindows'] });
  });
});
