import { testEvent } from '../testing/detector-test-context.js';
import type { FieldValue, FindingInput, VigilEvent } from '../../model/records.js';
import { jitter, seeded, startProbe } from '../windows/testing/probe-detector.js';
import { FollowedBy, type FollowedByOptions } from './followed-by.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** "Authorisation followed by capture within T", keyed by card; matches and timeouts become findings. */
function start(options: Partial<Omit<FollowedByOptions, 'name' | 'onMatch' | 'onTimeout'>> = {}) {
  const ctx = startProbe((context) => {
    const pattern = new FollowedBy(context, {
      within: 10 * MINUTE,
      isA: (e) => e.fields.type === 'auth',
      isB: (e) => e.fields.type === 'capture',
      ...options,
      name: 'auth-capture',
      onMatch: (m) => context.emit(finding('match', m.key, m.since, m.b.time, [m.a.id, m.b.id])),
      onTimeout: (t) => context.emit(finding('timeout', t.key, t.a.time, t.deadline, [t.a.id])),
    });
    return {
      process: (event) => pattern.process(String(event.fields.card), event),
      onTimer: (timer) => void pattern.onTimer(timer),
    };
  });
  const event = (time: number, type: string, card: FieldValue = 'c1') => testEvent(time, { card, type });
  return { ctx, event, state: (card = 'c1') => ctx.store<unknown[]>('auth-capture').get(card) };
}

function finding(kind: string, entity: string, windowStart: number, windowEnd: number, eventIds: string[]): FindingInput {
  return { entity, severity: 'info', kind, title: kind, windowStart, windowEnd, eventIds };
}

/** [kind, key, start, end, ids] for compact comparisons. */
function summary(findings: readonly FindingInput[]) {
  return findings.map((f) => [f.kind, f.entity, f.windowStart, f.windowEnd, f.eventIds]);
}

describe('FollowedBy', () => {
  it('matches A followed by B within T, per key, with both event ids', () => {
    const { ctx, event } = start();
    const auth = event(T0, 'auth');
    const other = event(T0 + MINUTE, 'capture', 'c2');
    const capture = event(T0 + 9 * MINUTE, 'capture');
    ctx.process(auth);
    expect(ctx.process(other)).toEqual([]);
    expect(summary(ctx.process(capture))).toEqual([['match', 'c1', T0, T0 + 9 * MINUTE, [auth.id, capture.id]]]);
    ctx.advanceTo(T0 + 60 * MINUTE);
    expect(ctx.emitted).toHaveLength(1);
  });

  it('times out an A with no B before A + T, from a timer at A + T: "authorisation not captured"', () => {
    const { ctx, event } = start();
    const auth = event(T0, 'auth');
    ctx.process(auth);
    ctx.advanceTo(T0 + 10 * MINUTE - 1);
    expect(ctx.emitted).toEqual([]);
    ctx.advanceTo(T0 + 10 * MINUTE);
    expect(summary(ctx.emitted)).toEqual([['timeout', 'c1', T0, T0 + 10 * MINUTE, [auth.id]]]);
    expect(ctx.keyCount()).toBe(0);
  });

  it('does not match a B at exactly A + T: the timeout fires first', () => {
    const { ctx, event } = start();
    ctx.process(event(T0, 'auth'));
    expect(summary(ctx.process(event(T0 + 10 * MINUTE, 'capture'))).map((f) => f[0])).toEqual(['timeout']);
    expect(ctx.emitted).toHaveLength(1);
  });

  it('does not match a B before its A, and uses each A and each B once', () => {
    const { ctx, event } = start();
    ctx.process(event(T0, 'capture'));
    const a1 = event(T0 + MINUTE, 'auth');
    const a2 = event(T0 + 2 * MINUTE, 'auth');
    ctx.process(a1);
    ctx.process(a2);
    const b1 = event(T0 + 3 * MINUTE, 'capture');
    ctx.process(b1);
    ctx.advanceTo(T0 + 30 * MINUTE);
    expect(summary(ctx.emitted)).toEqual([
      ['match', 'c1', T0 + MINUTE, T0 + 3 * MINUTE, [a1.id, b1.id]],
      ['timeout', 'c1', T0 + 2 * MINUTE, T0 + 12 * MINUTE, [a2.id]],
    ]);
  });

  it('pairs a B that arrived before its A (out of order) when the A comes within the lateness', () => {
    const { ctx, event } = start({ lateness: MINUTE });
    const capture = event(T0 + 5 * MINUTE, 'capture');
    const auth = event(T0 + 4 * MINUTE + 30 * SECOND, 'auth');
    ctx.process(capture);
    ctx.process(event(T0 + 5 * MINUTE + 20 * SECOND, 'other', 'c2'));
    expect(summary(ctx.process(auth))).toEqual([['match', 'c1', auth.time, capture.time, [auth.id, capture.id]]]);
    expect(ctx.keyCount()).toBe(0);
  });

  it('forgets an unpaired B once event time is past it by more than the lateness', () => {
    const { ctx, event } = start({ lateness: MINUTE });
    ctx.process(event(T0 + 5 * MINUTE, 'capture'));
    ctx.process(event(T0 + 6 * MINUTE + 1, 'other', 'c2'));
    ctx.process(event(T0 + 4 * MINUTE, 'auth'));
    expect(ctx.emitted).toEqual([]);
    ctx.advanceTo(T0 + 15 * MINUTE); // 4m + T + lateness
    expect(summary(ctx.emitted).map((f) => f[0])).toEqual(['timeout']);
  });

  it('delays the timeout by the lateness so a late B still pairs', () => {
    const { ctx, event } = start({ lateness: 2 * MINUTE });
    const auth = event(T0, 'auth');
    ctx.process(auth);
    ctx.process(event(T0 + 11 * MINUTE, 'other', 'c2'));
    const capture = event(T0 + 9 * MINUTE, 'capture');
    expect(summary(ctx.process(capture))).toEqual([['match', 'c1', T0, T0 + 9 * MINUTE, [auth.id, capture.id]]]);
    ctx.advanceTo(T0 + 60 * MINUTE);
    expect(ctx.emitted).toHaveLength(1);
  });

  it('lets an event that is both A and B complete an earlier A and start a new one, never itself', () => {
    const { ctx, event } = start({ isA: (e) => e.fields.type === 'login', isB: (e) => e.fields.type === 'login' });
    const first = event(T0, 'login');
    const second = event(T0 + MINUTE, 'login');
    expect(ctx.process(first)).toEqual([]);
    expect(summary(ctx.process(second))).toEqual([['match', 'c1', T0, T0 + MINUTE, [first.id, second.id]]]);
    ctx.advanceTo(T0 + 11 * MINUTE);
    expect(summary(ctx.emitted).at(-1)).toEqual(['timeout', 'c1', T0 + MINUTE, T0 + 11 * MINUTE, [second.id]]);
  });

  it('keeps compact JSON state, bounded by maxPending', () => {
    const { ctx, event, state } = start({ maxPending: 3 });
    const auths = [0, 1, 2, 3, 4].map((m) => event(T0 + m * SECOND, 'auth'));
    for (const auth of auths) ctx.process(auth);
    expect(state()).toEqual([3, ...auths.slice(2).flatMap((a) => [a.time, a.time, a.id])]);
    expect(JSON.parse(JSON.stringify(state()))).toEqual(state());
  });

  it('gives the same matches and timeouts for any arrival order within the lateness (deterministic)', () => {
    const random = seeded(3);
    const events: VigilEvent[] = [];
    for (let i = 0; i < 150; i++) {
      const card = `c${i % 10}`;
      const at = T0 + i * 3 * MINUTE + Math.floor(random() * MINUTE);
      events.push(testEvent(at, { card, type: 'auth' }, `a${i}`));
      if (random() < 0.7) events.push(testEvent(at + Math.floor(random() * 15 * MINUTE), { card, type: 'capture' }, `b${i}`));
    }
    events.sort((a, b) => a.time - b.time);
    const run = (order: VigilEvent[]) => {
      const { ctx } = start({ lateness: 2 * MINUTE });
      for (const e of order) ctx.process(e);
      ctx.advanceTo(T0 + 24 * 60 * MINUTE);
      return summary(ctx.emitted).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    };
    const inOrder = run(events);
    expect(inOrder.filter((f) => f[0] === 'match').length).toBeGreaterThan(50);
    expect(inOrder.filter((f) => f[0] === 'timeout').length).toBeGreaterThan(30);
    expect(run(jitter(events, 2 * MINUTE, 1))).toEqual(inOrder);
    expect(run(jitter(events, 2 * MINUTE, 2))).toEqual(inOrder);
  });
});
