import { testEvent } from '../testing/detector-test-context.js';
import { SessionWindow, type SessionWindowOptions } from './session.js';
import { jitter, seeded, startProbe, windowFinding, windowsOf } from './testing/probe-detector.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function start(options: Omit<SessionWindowOptions, 'name' | 'onClose'>) {
  const dropped: number[] = [];
  const ctx = startProbe((context) => {
    const sessions = new SessionWindow(context, { ...options, name: 'session', onClose: (w) => context.emit(windowFinding(w)) });
    return {
      process: (event) => {
        if (!sessions.add(String(event.fields.card), event.time, Number(event.fields.amount))) dropped.push(event.time);
      },
      onTimer: (timer) => void sessions.onTimer(timer),
    };
  });
  const add = (time: number, amount: number, card = 'c1') => windowsOf(ctx.process(testEvent(time, { card, amount })));
  return { ctx, add, dropped, state: (card = 'c1') => ctx.store<number[]>('session').get(card) };
}

describe('SessionWindow', () => {
  it('groups events less than the gap apart and emits the session at last + gap', () => {
    const { ctx, add } = start({ gap: 30 * SECOND });
    add(T0, 5);
    add(T0 + 10 * SECOND, 2, 'c2');
    add(T0 + 20 * SECOND, 1);
    expect(windowsOf(ctx.process(testEvent(T0 + 40 * SECOND, { card: 'c3', amount: 0 })))).toEqual([['c2', T0 + 10 * SECOND, T0 + 40 * SECOND, 1, 2]]);
    add(T0 + 49 * SECOND, 9);
    ctx.advanceTo(T0 + 79 * SECOND - 1);
    expect(ctx.emitted.map((f) => f.entity)).toEqual(['c2', 'c3']);
    ctx.advanceTo(T0 + 79 * SECOND);
    expect(ctx.emitted.at(-1)).toMatchObject({ entity: 'c1', windowStart: T0, windowEnd: T0 + 79 * SECOND, values: { count: 3, sum: 15, min: 1, max: 9 } });
  });

  it('starts a new session with an event exactly one gap after the last', () => {
    const { ctx, add } = start({ gap: 30 * SECOND });
    add(T0, 1);
    expect(add(T0 + 30 * SECOND, 2)).toEqual([['c1', T0, T0 + 30 * SECOND, 1, 1]]);
    ctx.advanceTo(T0 + MINUTE);
    expect(windowsOf(ctx.emitted).at(-1)).toEqual(['c1', T0 + 30 * SECOND, T0 + MINUTE, 1, 2]);
  });

  it('merges sessions that a late event bridges, within the allowed lateness', () => {
    const { ctx, add, state } = start({ gap: 30 * SECOND, allowedLateness: MINUTE });
    add(T0, 1);
    add(T0 + 50 * SECOND, 2);
    expect(state()).toEqual([Number.MIN_SAFE_INTEGER, T0, T0, 1, 1, 1, 1, T0 + 50 * SECOND, T0 + 50 * SECOND, 1, 2, 2, 2]);
    add(T0 + 25 * SECOND, 4); // less than 30s from both: one session
    expect(state()).toEqual([Number.MIN_SAFE_INTEGER, T0, T0 + 50 * SECOND, 3, 7, 1, 4]);
    ctx.advanceTo(T0 + 140 * SECOND - 1);
    expect(ctx.emitted).toEqual([]);
    ctx.advanceTo(T0 + 140 * SECOND);
    expect(windowsOf(ctx.emitted)).toEqual([['c1', T0, T0 + 80 * SECOND, 3, 7]]);
  });

  it('drops an event that falls before the end of an emitted session', () => {
    const { ctx, add, dropped, state } = start({ gap: 30 * SECOND });
    add(T0, 1);
    ctx.advanceTo(T0 + 40 * SECOND);
    expect(ctx.emitted).toHaveLength(1);
    add(T0 + 29 * SECOND, 1);
    expect(dropped).toEqual([T0 + 29 * SECOND]);
    expect(state()).toEqual([T0 + 30 * SECOND]);
    add(T0 + 30 * SECOND, 1); // not mergeable with the emitted session: a new one
    expect(state()!.length).toBe(7);
  });

  it('gives the same sessions for any arrival order within the allowed lateness (deterministic)', () => {
    const random = seeded(21);
    let t = T0;
    const events = Array.from({ length: 500 }, () => {
      t += random() < 0.1 ? 45 * SECOND : Math.floor(random() * 8 * SECOND);
      return { time: t, card: `c${Math.floor(random() * 3)}`, amount: Math.floor(random() * 20) };
    });
    const run = (order: typeof events) => {
      const { ctx } = start({ gap: 10 * SECOND, allowedLateness: 15 * SECOND });
      for (const e of order) ctx.process(testEvent(e.time, { card: e.card, amount: e.amount }));
      for (let i = 1; i <= 3; i++) ctx.advanceTo(t + i * MINUTE);
      return windowsOf(ctx.emitted);
    };
    const inOrder = run(events);
    expect(inOrder.length).toBeGreaterThan(20);
    expect(inOrder.reduce((n, w) => n + w[3], 0)).toBe(500);
    expect(run(jitter(events, 15 * SECOND, 1))).toEqual(inOrder);
    expect(run(jitter(events, 15 * SECOND, 2))).toEqual(inOrder);
  });
});
