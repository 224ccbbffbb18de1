import { testEvent } from '../testing/detector-test-context.js';
import type { FindingInput, VigilEvent } from '../../model/records.js';
import { jitter, seeded, startProbe } from '../windows/testing/probe-detector.js';
import { BurstFollowedBy } from './burst-followed-by.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Card testing: 4 payments under 2 EUR within 10m, then one over 200 EUR within 30m of the last. */
function start(lateness = 0) {
  const ctx = startProbe((context) => {
    const pattern = new BurstFollowedBy(context, {
      name: 'card-testing',
      burst: { count: 4, within: 10 * MINUTE, matches: (e) => Number(e.fields.amount) < 2 },
      then: { within: 30 * MINUTE, matches: (e) => Number(e.fields.amount) > 200 },
      lateness,
      onMatch: (m) => context.emit(finding('card_testing', m.key, m.since, m.then.time, [m.burst.id, m.then.id])),
      onTimeout: (t) => context.emit(finding('probe_only', t.key, t.since, t.deadline, [t.burst.id])),
    });
    return {
      process: (event) => pattern.process(String(event.fields.card), event),
      onTimer: (timer) => void pattern.onTimer(timer),
    };
  });
  const pay = (time: number, amount: number, card = 'c1') => testEvent(time, { card, amount });
  return { ctx, pay };
}

function finding(kind: string, entity: string, windowStart: number, windowEnd: number, eventIds: string[]): FindingInput {
  return { entity, severity: 'high', kind, title: kind, windowStart, windowEnd, eventIds };
}

function summary(findings: readonly FindingInput[]) {
  return findings.map((f) => [f.kind, f.entity, f.windowStart, f.windowEnd, f.eventIds]);
}

describe('BurstFollowedBy', () => {
  it('matches N small payments within T1 followed by a large one within T2', () => {
    const { ctx, pay } = start();
    const probes = [0, 1, 2, 3].map((m) => pay(T0 + m * MINUTE, 0.5));
    for (const p of probes) expect(ctx.process(p)).toEqual([]);
    ctx.process(pay(T0 + 5 * MINUTE, 50)); // neither small nor large
    const cashOut = pay(T0 + 20 * MINUTE, 900);
    expect(summary(ctx.process(cashOut))).toEqual([['card_testing', 'c1', T0, T0 + 20 * MINUTE, [probes[3]!.id, cashOut.id]]]);
    ctx.advanceTo(T0 + 2 * 60 * MINUTE);
    expect(ctx.emitted).toHaveLength(1);
  });

  it('needs the burst first: a large payment alone, or after too few probes, is nothing', () => {
    const { ctx, pay } = start();
    ctx.process(pay(T0, 900));
    for (const m of [1, 2, 3]) ctx.process(pay(T0 + m * MINUTE, 0.5));
    ctx.process(pay(T0 + 4 * MINUTE, 900));
    ctx.process(pay(T0 + 12 * MINUTE, 0.5)); // 4 probes, but spanning 11m
    ctx.process(pay(T0 + 13 * MINUTE, 900));
    ctx.advanceTo(T0 + 2 * 60 * MINUTE);
    expect(ctx.emitted).toEqual([]);
  });

  it('times out a burst that nothing large follows within T2 of its last probe', () => {
    const { ctx, pay } = start();
    const probes = [0, 1, 2, 3].map((m) => pay(T0 + m * MINUTE, 1));
    for (const p of probes) ctx.process(p);
    ctx.process(pay(T0 + 33 * MINUTE, 900)); // 30m after the last probe: too late, the timeout fires first
    expect(summary(ctx.emitted)).toEqual([['probe_only', 'c1', T0, T0 + 33 * MINUTE, [probes[3]!.id]]]);
  });

  it('matches when the large payment arrives before the last probe (out of order, within the lateness)', () => {
    const { ctx, pay } = start(2 * MINUTE);
    for (const m of [0, 1, 2]) ctx.process(pay(T0 + m * MINUTE, 1));
    const cashOut = pay(T0 + 4 * MINUTE, 900);
    ctx.process(cashOut);
    const lastProbe = pay(T0 + 3 * MINUTE, 1);
    expect(summary(ctx.process(lastProbe))).toEqual([['card_testing', 'c1', T0, T0 + 4 * MINUTE, [lastProbe.id, cashOut.id]]]);
  });

  it('finds the same card-testing cases whatever the arrival order within the lateness (deterministic)', () => {
    const random = seeded(31);
    const events: VigilEvent[] = [];
    for (let c = 0; c < 30; c++) {
      const base = T0 + c * 7 * MINUTE;
      const card = `card-${c}`;
      for (let i = 0; i < 4; i++) events.push(testEvent(base + i * MINUTE + Math.floor(random() * 30 * SECOND), { card, amount: 1 }, `${card}-p${i}`));
      if (c % 3 !== 0) events.push(testEvent(base + 5 * MINUTE + Math.floor(random() * 40 * MINUTE), { card, amount: 500 }, `${card}-big`));
      events.push(testEvent(base + Math.floor(random() * 60 * MINUTE), { card, amount: 40 }, `${card}-normal`));
    }
    events.sort((a, b) => a.time - b.time);
    const run = (order: VigilEvent[]) => {
      const { ctx } = start(3 * MINUTE);
      for (const e of order) ctx.process(e);
      ctx.advanceTo(T0 + 10 * 60 * MINUTE);
      return summary(ctx.emitted).map((f) => [f[0], f[1], f[2], f[3]]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    };
    const inOrder = run(events);
    expect(inOrder.filter((f) => f[0] === 'card_testing').length).toBeGreaterThan(5);
    expect(inOrder.filter((f) => f[0] === 'probe_only').length).toBeGreaterThanOrEqual(10);
    expect(run(jitter(events, 3 * MINUTE, 1))).toEqual(inOrder);
    expect(run(jitter(events, 3 * MINUTE, 2))).toEqual(inOrder);
  });
});
