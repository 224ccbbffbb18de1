import { testEvent } from '../testing/detector-test-context.js';
import type { FindingInput, VigilEvent } from '../../model/records.js';
import { jitter, seeded, startProbe } from '../windows/testing/probe-detector.js';
import { TimesWithin, type TimesWithinOptions } from './times-within.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** "3 declined payments within 5 minutes" per card; each match becomes a finding. */
function start(options: Partial<Omit<TimesWithinOptions, 'name' | 'onMatch'>> = {}) {
  const ctx = startProbe((context) => {
    const pattern = new TimesWithin(context, {
      count: 3,
      within: 5 * MINUTE,
      matches: (e) => e.fields.status === 'declined',
      ...options,
      name: 'declines',
      onMatch: (m) =>
        context.emit({ entity: m.key, severity: 'info', kind: 'declines', title: '', windowStart: m.since, windowEnd: m.until, eventIds: [m.trigger.id] }),
    });
    return { process: (event) => void pattern.process(String(event.fields.card), event) };
  });
  const event = (time: number, status = 'declined', card = 'c1') => testEvent(time, { card, status });
  return { ctx, event, state: (card = 'c1') => ctx.store<number[]>('declines').get(card) };
}

function summary(findings: readonly FindingInput[]) {
  return findings.map((f) => [f.entity, f.windowStart, f.windowEnd, f.eventIds]);
}

describe('TimesWithin', () => {
  it('matches N matching events of one key within T, naming the event that completed it', () => {
    const { ctx, event } = start();
    ctx.process(event(T0));
    ctx.process(event(T0 + MINUTE, 'approved'));
    ctx.process(event(T0 + MINUTE, 'declined', 'c2'));
    ctx.process(event(T0 + 2 * MINUTE));
    const third = event(T0 + 4 * MINUTE);
    expect(summary(ctx.process(third))).toEqual([['c1', T0, T0 + 4 * MINUTE, [third.id]]]);
  });

  it('needs the N events to span less than T', () => {
    const { ctx, event } = start();
    ctx.process(event(T0));
    ctx.process(event(T0 + MINUTE));
    expect(ctx.process(event(T0 + 5 * MINUTE))).toEqual([]);
    expect(ctx.process(event(T0 + 5 * MINUTE + 1))).toHaveLength(1); // 1m .. 5m+1ms
  });

  it('consumes the events of a match: the next match needs N new ones', () => {
    const { ctx, event, state } = start();
    for (let i = 0; i < 5; i++) ctx.process(event(T0 + i * SECOND));
    expect(ctx.emitted).toHaveLength(1);
    expect(state()).toEqual([T0 + 2 * SECOND, T0 + 3 * SECOND, T0 + 4 * SECOND]);
    ctx.process(event(T0 + 5 * SECOND));
    expect(summary(ctx.emitted).at(-1)).toEqual(['c1', T0 + 3 * SECOND, T0 + 5 * SECOND, [expect.any(String)]]);
  });

  it('counts out-of-order events by event time, and ignores a late one inside a consumed match', () => {
    const { ctx, event, state } = start({ lateness: 2 * MINUTE });
    ctx.process(event(T0));
    ctx.process(event(T0 + 6 * MINUTE));
    const late = event(T0 + 4 * MINUTE); // 0, 4m, 6m: no 3 of them within 5m
    expect(ctx.process(late)).toEqual([]);
    const later = event(T0 + 3 * MINUTE);
    expect(summary(ctx.process(later))).toEqual([['c1', T0, T0 + 4 * MINUTE, [later.id]]]);
    expect(state()).toEqual([T0 + 4 * MINUTE, T0 + 6 * MINUTE]);
    expect(ctx.process(event(T0 + 2 * MINUTE))).toEqual([]);
    expect(state()).toEqual([T0 + 4 * MINUTE, T0 + 6 * MINUTE]);
  });

  it('prunes times that can no longer join a match, so sparse keys stay small', () => {
    const { ctx, event, state } = start({ lateness: MINUTE });
    for (let i = 0; i < 100; i++) ctx.process(event(T0 + i * 3 * MINUTE));
    expect(ctx.emitted).toEqual([]);
    // At 297m a time is kept while an event up to 1m late could still fall within 5m of it: > 291m.
    expect(state()).toEqual([Number.MIN_SAFE_INTEGER, T0 + 294 * MINUTE, T0 + 297 * MINUTE]);
  });

  it('replays the same input to the same matches (deterministic)', () => {
    const random = seeded(17);
    let t = T0;
    const events: VigilEvent[] = [];
    for (let i = 0; i < 400; i++) {
      t += Math.floor(random() * 90 * SECOND);
      events.push(testEvent(t, { card: `c${i % 4}`, status: random() < 0.8 ? 'declined' : 'approved' }, `e-${i}`));
    }
    const run = (order: VigilEvent[]) => {
      const { ctx } = start({ lateness: MINUTE, within: 6 * MINUTE });
      for (const e of order) ctx.process(e);
      return summary(ctx.emitted);
    };
    const shuffled = jitter(events, MINUTE, 5);
    expect(run(events).length).toBeGreaterThan(10);
    expect(run(events)).toEqual(run(events));
    expect(run(shuffled)).toEqual(run(shuffled));
  });

  it('finds each burst the same way whatever the arrival order within the lateness', () => {
    // Bursts of exactly N events, further apart than T + lateness: arrival order cannot change them.
    const random = seeded(23);
    const events: VigilEvent[] = [];
    for (let b = 0; b < 40; b++) {
      const base = T0 + b * 20 * MINUTE;
      for (let i = 0; i < 3; i++) events.push(testEvent(base + Math.floor(random() * 4 * MINUTE), { card: `c${b % 3}`, status: 'declined' }, `b${b}-${i}`));
    }
    events.sort((a, b) => a.time - b.time);
    const run = (order: VigilEvent[]) => {
      const { ctx } = start({ lateness: 2 * MINUTE });
      for (const e of order) ctx.process(e);
      return summary(ctx.emitted).map((f) => f.slice(0, 3)).sort((a, b) => Number(a[1]) - Number(b[1]));
    };
    const inOrder = run(events);
    expect(inOrder).toHaveLength(40);
    expect(run(jitter(events, 2 * MINUTE, 1))).toEqual(inOrder);
    expect(run(jitter(events, 2 * MINUTE, 2))).toEqual(inOrder);
  });
});
