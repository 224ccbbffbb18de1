import { DetectorTestContext, testEvent } from '../../runtime/testing/detector-test-context.js';
import { testTemplate } from '../../sink/testing/test-template.js';
import { parseRule } from './rule.checks.js';
import { ruleDetector, ruleStoreName } from './rule.detector.js';
import { ruleSchema } from '../../model/template/rule.schema.js';

const SECOND = 1_000;
const MINUTE = 60_000;
// The template lets events an hour out of order through, so the window's own lateness decides.
const OUT_OF_ORDER = { allowedLateness: 60 * MINUTE };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const countRule = { id: 'many_tx', key: 'card', aggregate: 'count', window: '10m', operator: '>', limit: 3, severity: 'high' };
const tx = (minute: number, card: string, amount: number, extra: Record<string, string | number | boolean> = {}) =>
  testEvent(T0 + minute * MINUTE, { card, amount, ...extra });

describe('rule detector', () => {
  it('fires when the count of a key’s window passes the limit, naming the rule and its numbers', () => {
    const ctx = DetectorTestContext.start(ruleDetector, countRule);
    for (const m of [0, 1, 2]) expect(ctx.process(tx(m, 'c1', 10))).toEqual([]);
    const trigger = tx(3, 'c1', 10);
    expect(ctx.process(trigger)).toEqual([
      {
        entity: 'c1',
        severity: 'high',
        kind: 'rule.count',
        title: 'count for card c1 within 10m is 4 (rule many_tx: > 3)',
        windowStart: T0,
        windowEnd: T0 + 3 * MINUTE,
        values: { count: 4 },
        thresholds: { limit: 3 },
        eventIds: [trigger.id],
      },
    ]);
  });

  it.each([
    ['sum', '>', 100, [30, 40, 50], 120],
    ['avg', '>=', 40, [30, 40, 50], 40],
    ['max', '>', 45, [30, 40, 50], 50],
    ['min', '<', 35, [50, 40, 30], 30],
  ] as const)('aggregates %s of a field and compares with %s', (aggregate, operator, limit, amounts, expected) => {
    const ctx = DetectorTestContext.start(ruleDetector, { ...countRule, aggregate, field: 'amount', operator, limit });
    const findings = amounts.flatMap((amount, m) => ctx.process(tx(m, 'c1', amount)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: `rule.${aggregate}`, values: { [aggregate]: expected, count: 3 } });
    // It fired on the last event only: before it, the aggregate did not meet the comparison.
    expect(findings[0]!.windowEnd).toBe(T0 + 2 * MINUTE);
  });

  it('counts only events meeting every filter condition', () => {
    const rule = { ...countRule, limit: 1, filter: [{ field: 'channel', value: 'ecom' }, { field: 'amount', op: '>=', value: 100 }] };
    const ctx = DetectorTestContext.start(ruleDetector, rule);
    expect(ctx.process(tx(0, 'c1', 500, { channel: 'pos' }))).toEqual([]);
    expect(ctx.process(tx(1, 'c1', 50, { channel: 'ecom' }))).toEqual([]);
    expect(ctx.process(tx(2, 'c1', 150, { channel: 'ecom' }))).toEqual([]);
    expect(ctx.process(tx(3, 'c1', 120, { channel: 'ecom' }))).toMatchObject([{ values: { count: 2 } }]);
    const listed = DetectorTestContext.start(ruleDetector, { ...countRule, limit: 0, filter: [{ field: 'mcc', op: 'in', value: ['6011', '4829'] }] });
    expect(listed.process(tx(0, 'c1', 1, { mcc: 5411 }))).toEqual([]);
    expect(listed.process(tx(1, 'c1', 1, { mcc: 6011 }))).toHaveLength(1); // "6011" matches the number 6011
  });

  it('keys by several fields and skips events missing one of them or the aggregated number', () => {
    const rule = { ...countRule, key: ['card', 'terminal'], aggregate: 'sum', field: 'amount', limit: 100 };
    const ctx = DetectorTestContext.start(ruleDetector, rule);
    ctx.process(tx(0, 'c1', 60, { terminal: 't1' }));
    ctx.process(tx(1, 'c1', 60, { terminal: 't2' }));
    ctx.process(testEvent(T0 + 2 * MINUTE, { card: 'c1', terminal: 't1', amount: null }));
    ctx.process(testEvent(T0 + 2 * MINUTE, { card: 'c1', amount: 500 }));
    expect(ctx.emitted).toEqual([]);
    expect(ctx.process(tx(3, 'c1', 60, { terminal: 't1' }))).toMatchObject([{ entity: 'c1|t1', values: { sum: 120, count: 2 } }]);
  });

  it('counts out-of-order events by event time, and the same set in any order gives the same finding', () => {
    const minutes = [5, 3, 4, 6];
    const inOrder = DetectorTestContext.start(ruleDetector, countRule);
    const shuffled = DetectorTestContext.start(ruleDetector, countRule, OUT_OF_ORDER);
    const sorted = [...minutes].sort((a, b) => a - b).flatMap((m) => inOrder.process(tx(m, 'c1', 1)));
    const arrived = minutes.flatMap((m) => shuffled.process(tx(m, 'c1', 1)));
    expect(arrived).toHaveLength(1);
    const { eventIds: _a, ...a } = arrived[0]!;
    const { eventIds: _b, ...b } = sorted[0]!;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ windowStart: T0 + 3 * MINUTE, windowEnd: T0 + 6 * MINUTE, values: { count: 4 } });
  });

  it('never counts an event a full window old, and drops a late event whose bucket left the window', () => {
    const ctx = DetectorTestContext.start(ruleDetector, { ...countRule, limit: 2 });
    ctx.process(tx(0, 'c1', 1));
    ctx.process(tx(4, 'c1', 1));
    // At exactly 10m the event at 0 is one window old: out. Two events in the window: not > 2.
    expect(ctx.process(tx(10, 'c1', 1))).toEqual([]);
    // 10m + 9.999s still rounds the old edge to 0:10, so 0:00 stays out; a late event at 0:05 is dropped.
    expect(ctx.process(testEvent(T0 + 5 * SECOND, { card: 'c1', amount: 1 }))).toEqual([]);
    expect(ctx.process(tx(10.1, 'c1', 1))).toMatchObject([{ values: { count: 3 }, windowStart: T0 + 4 * MINUTE }]);
  });

  it('reports once per window per key while the breach lasts', () => {
    const ctx = DetectorTestContext.start(ruleDetector, countRule);
    for (let m = 0; m < 9; m++) ctx.process(tx(m, 'c1', 1));
    expect(ctx.emitted).toHaveLength(1);
    for (let m = 13; m < 20; m++) ctx.process(tx(m, 'c1', 1));
    expect(ctx.emitted).toHaveLength(2);
  });

  it('keeps its windows in a store named by what is aggregated, not by the limit or severity', () => {
    const base = ruleSchema.parse({ ...countRule });
    expect(ruleStoreName({ ...base, limit: 99, operator: '>=', severity: 'low' })).toBe(ruleStoreName(base));
    expect(ruleStoreName({ ...base, window: 20 * MINUTE })).not.toBe(ruleStoreName(base));
    expect(ruleStoreName({ ...base, filter: [{ field: 'channel', op: '==', value: 'ecom' }] })).not.toBe(ruleStoreName(base));
  });
});

describe('rule validation', () => {
  const template = testTemplate();
  const problems = (input: unknown) => parseRule(input, template, 'rule').problems;

  it('accepts a valid rule and names the fields it reads', () => {
    const parsed = parseRule({ ...countRule, filter: [{ field: 'online', value: true }] }, template);
    expect(parsed.problems).toBeUndefined();
    expect(ruleDetector.meta.requiredFields(parsed.rule!)).toEqual(['card', 'online']);
    expect(parsed.rule!.window).toBe(10 * MINUTE);
  });

  it('reports every problem with its path', () => {
    expect(problems({ ...countRule, window: '10 minutes', aggregate: 'sum', operator: '=>' })).toEqual([
      { path: 'rule.window', message: 'expected duration like "5m", got "10 minutes"' },
      { path: 'rule.operator', message: 'expected one of >, >=, <, <=, ==, !=, got "=>" (did you mean ">"?)' },
    ]);
    expect(problems({ ...countRule, aggregate: 'sum' })).toEqual([{ path: 'rule.field', message: 'required for aggregate "sum"' }]);
    expect(problems({ ...countRule, limits: 3 })).toEqual([{ path: 'rule', message: 'unknown key "limits" (did you mean "limit"?)' }]);
    expect(problems({ ...countRule, filter: [{ field: 'note', op: 'in', value: 'x' }] })).toEqual([
      { path: 'rule.filter[0].value', message: '"in" needs a list of values' },
    ]);
    expect(problems({ ...countRule, filter: [{ field: 'amount', op: '>=', value: '100' }] })).toEqual([
      { path: 'rule.filter[0].value', message: '">=" compares numbers; got "100"' },
    ]);
  });

  it('checks fields against the template, numbers for aggregates, and ids against detectors', () => {
    expect(problems({ ...countRule, key: 'cards' })).toEqual([{ path: 'rule.key', message: '"cards" is not a field in event.fields (did you mean "card"?)' }]);
    expect(problems({ ...countRule, aggregate: 'sum', field: 'note' })).toEqual([
      { path: 'rule.field', message: 'aggregate "sum" needs a number field; "note" has type string' },
    ]);
    expect(problems({ ...countRule, id: 'velocity' })).toEqual([
      { path: 'rule.id', message: '"velocity" is already a detector id; findings name rules and detectors alike, so ids must differ' },
    ]);
  });
});
