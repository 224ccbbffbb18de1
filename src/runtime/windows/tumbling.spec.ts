import { testEvent } from '../testing/detector-test-context.js';
import { jitter, seeded, startProbe, windowFinding, windowsOf } from './testing/probe-detector.js';
import { TumblingWindow, type TumblingWindowOptions } from './tumbling.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A probe that adds each event's `amount` under its `card` and emits every closed window. */
function start(options: Omit<TumblingWindowOptions, 'name' | 'onClose'>) {
  const dropped: number[] = [];
  const ctx = startProbe((context) => {
    const windows = new TumblingWindow(context, { ...options, name: 'tumbling', onClose: (w) => context.emit(windowFinding(w)) });
    return {
      process: (event) => {
        if (!windows.add(String(event.fields.card), event.time, Number(event.fields.amount))) dropped.push(event.time);
      },
      onTimer: (timer) => {
        if (!windows.onTimer(timer)) throw new Error(`unexpected timer ${timer.name}`);
      },
    };
  });
  const add = (time: number, amount: number, card = 'c1') => windowsOf(ctx.process(testEvent(time, { card, amount })));
  return { ctx, add, dropped, state: (card = 'c1') => ctx.store<number[]>('tumbling').get(card) };
}

describe('TumblingWindow', () => {
  it('emits each key’s window once event time reaches its end, with count, sum, min and max', () => {
    const { ctx, add } = start({ size: MINUTE });
    add(T0, 5);
    add(T0 + 10 * SECOND, 7);
    add(T0 + 59_999, -2);
    add(T0 + 30 * SECOND, 1, 'c2');
    const closed = ctx.process(testEvent(T0 + MINUTE, { card: 'c3', amount: 1 }));
    expect(closed).toEqual([
      expect.objectContaining({ entity: 'c1', windowStart: T0, windowEnd: T0 + MINUTE, values: { count: 3, sum: 10, min: -2, max: 7 } }),
      expect.objectContaining({ entity: 'c2', windowStart: T0, windowEnd: T0 + MINUTE, values: { count: 1, sum: 1, min: 1, max: 1 } }),
    ]);
    ctx.advanceTo(T0 + 2 * MINUTE);
    expect(windowsOf(ctx.emitted).at(-1)).toEqual(['c3', T0 + MINUTE, T0 + 2 * MINUTE, 1, 1]);
  });

  it('puts an event at a window’s end into the next window, and emits no empty windows', () => {
    const { ctx, add } = start({ size: MINUTE });
    add(T0, 1);
    expect(add(T0 + MINUTE, 2)).toEqual([['c1', T0, T0 + MINUTE, 1, 1]]);
    add(T0 + 5 * MINUTE, 3);
    ctx.advanceTo(T0 + 6 * MINUTE);
    expect(windowsOf(ctx.emitted)).toEqual([
      ['c1', T0, T0 + MINUTE, 1, 1],
      ['c1', T0 + MINUTE, T0 + 2 * MINUTE, 1, 2],
      ['c1', T0 + 5 * MINUTE, T0 + 6 * MINUTE, 1, 3],
    ]);
  });

  it('counts out-of-order events until end + allowedLateness, then drops them', () => {
    const { ctx, add, dropped } = start({ size: MINUTE, allowedLateness: 30 * SECOND });
    add(T0 + 50 * SECOND, 1);
    add(T0 + 70 * SECOND, 10);
    expect(add(T0 + 55 * SECOND, 100)).toEqual([]); // 15s behind event time: still counted
    expect(add(T0 + 90 * SECOND, 1000, 'c2')).toEqual([['c1', T0, T0 + MINUTE, 2, 101]]);
    expect(add(T0 + 59 * SECOND, 5)).toEqual([]); // its window was emitted: dropped, not re-emitted
    expect(dropped).toEqual([T0 + 59 * SECOND]);
    ctx.advanceTo(T0 + 150 * SECOND);
    expect(windowsOf(ctx.emitted)).toEqual([
      ['c1', T0, T0 + MINUTE, 2, 101],
      ['c1', T0 + MINUTE, T0 + 2 * MINUTE, 1, 10],
      ['c2', T0 + MINUTE, T0 + 2 * MINUTE, 1, 1000],
    ]);
    // The key keeps only the end of its last emitted window, so late events cannot reopen it.
    expect(ctx.store<number[]>('tumbling').get('c1')).toEqual([T0 + 2 * MINUTE]);
  });

  it('emits every due window of a key in one advance of event time (one timer per key)', () => {
    const { ctx, add } = start({ size: MINUTE, allowedLateness: 5 * MINUTE });
    add(T0, 1);
    add(T0 + MINUTE, 2);
    add(T0 + 2 * MINUTE, 3);
    ctx.advanceTo(T0 + 10 * MINUTE);
    expect(windowsOf(ctx.emitted)).toEqual([
      ['c1', T0, T0 + MINUTE, 1, 1],
      ['c1', T0 + MINUTE, T0 + 2 * MINUTE, 1, 2],
      ['c1', T0 + 2 * MINUTE, T0 + 3 * MINUTE, 1, 3],
    ]);
    expect(ctx.timerCount()).toBe(0);
  });

  it('gives the same windows for any arrival order within the allowed lateness (deterministic)', () => {
    const random = seeded(11);
    const events = Array.from({ length: 600 }, (_, i) => ({
      time: T0 + i * 1_500 + Math.floor(random() * 1_000),
      card: `c${Math.floor(random() * 4)}`,
      amount: Math.floor(random() * 50),
    }));
    const run = (order: typeof events) => {
      const { ctx } = start({ size: MINUTE, allowedLateness: 20 * SECOND });
      for (const e of order) ctx.process(testEvent(e.time, { card: e.card, amount: e.amount }));
      ctx.advanceTo(T0 + 60 * MINUTE);
      ctx.advanceTo(T0 + 60 * MINUTE + 1);
      return windowsOf(ctx.emitted);
    };
    const inOrder = run(events);
    expect(inOrder.reduce((n, w) => n + w[3], 0)).toBe(600);
    expect(run(jitter(events, 20 * SECOND, 3))).toEqual(inOrder);
    expect(run(jitter(events, 20 * SECOND, 4))).toEqual(inOrder);
  });

  it('holds 1 + 5 numbers per open window', () => {
    const { add, state } = start({ size: MINUTE });
    for (let i = 0; i < 1_000; i++) add(T0 + i * 10, i);
    expect(state()).toEqual([Number.MIN_SAFE_INTEGER, T0, 1_000, 499_500, 0, 999]);
  });
});
