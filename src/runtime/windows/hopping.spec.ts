import type { DetectorContext } from '../../model/detector.js';
import { testEvent } from '../testing/detector-test-context.js';
import { HoppingWindow, type HoppingWindowOptions } from './hopping.js';
import { jitter, seeded, startProbe, windowFinding, windowsOf } from './testing/probe-detector.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function start(options: Omit<HoppingWindowOptions, 'name' | 'onClose'>) {
  const dropped: number[] = [];
  const ctx = startProbe((context) => {
    const windows = new HoppingWindow(context, { ...options, name: 'hopping', onClose: (w) => context.emit(windowFinding(w)) });
    return {
      process: (event) => {
        if (!windows.add(String(event.fields.card), event.time, Number(event.fields.amount))) dropped.push(event.time);
      },
      onTimer: (timer) => void windows.onTimer(timer),
    };
  });
  const add = (time: number, amount: number, card = 'c1') => windowsOf(ctx.process(testEvent(time, { card, amount })));
  /** Moves event time to `until` in `step`s, as a stream of events would. */
  const advance = (until: number, step = SECOND) => {
    for (let t = ctx.now() + step; t <= until; t += step) ctx.advanceTo(t);
    ctx.advanceTo(until);
  };
  return { ctx, add, advance, dropped, state: (card = 'c1') => ctx.store<number[]>('hopping').get(card) };
}

describe('HoppingWindow', () => {
  it('emits every window [kH, kH + S) holding events, each once, when event time reaches its end', () => {
    // S = 1m, H = 20s: an event belongs to 3 windows.
    const { ctx, add, advance } = start({ size: MINUTE, hop: 20 * SECOND });
    add(T0 + 30 * SECOND, 1);
    add(T0 + 50 * SECOND, 2);
    advance(T0 + 3 * MINUTE);
    expect(windowsOf(ctx.emitted)).toEqual([
      ['c1', T0 - 20 * SECOND, T0 + 40 * SECOND, 1, 1],
      ['c1', T0, T0 + MINUTE, 2, 3],
      ['c1', T0 + 20 * SECOND, T0 + 80 * SECOND, 2, 3],
      ['c1', T0 + 40 * SECOND, T0 + 100 * SECOND, 1, 2],
    ]);
  });

  it('pre-aggregates per hop-sized pane: an event updates one pane, a key holds at most S/H + 1 panes', () => {
    const { add, state } = start({ size: 10 * MINUTE, hop: MINUTE });
    for (let i = 0; i < 6_000; i++) add(T0 + i * 100, 1);
    // 10 minutes of events, 600 per pane: the key holds [emittedThrough, 10 panes of 5 numbers].
    expect(state()!.length).toBe(1 + 10 * 5);
    add(T0 + 10 * MINUTE + 1, 1); // closes the window ending at 10m, which frees the oldest pane
    expect(state()!.length).toBe(1 + 10 * 5);
  });

  it('counts a late event in the windows still open and drops it when all its windows were emitted', () => {
    const { ctx, add, advance, dropped } = start({ size: MINUTE, hop: 20 * SECOND });
    add(T0 + 30 * SECOND, 1);
    advance(T0 + 40 * SECOND);
    expect(windowsOf(ctx.emitted)).toEqual([['c1', T0 - 20 * SECOND, T0 + 40 * SECOND, 1, 1]]);
    add(T0 + 35 * SECOND, 10); // its first window is emitted; the next two are open
    advance(T0 + 80 * SECOND);
    expect(windowsOf(ctx.emitted).slice(1)).toEqual([
      ['c1', T0, T0 + MINUTE, 2, 11],
      ['c1', T0 + 20 * SECOND, T0 + 80 * SECOND, 2, 11],
    ]);
    add(T0 + 25 * SECOND, 100);
    expect(dropped).toEqual([T0 + 25 * SECOND]);
    advance(T0 + 5 * MINUTE);
    expect(ctx.emitted).toHaveLength(3);
  });

  it('waits allowedLateness after a window’s end before emitting it', () => {
    const { ctx, add, advance } = start({ size: MINUTE, hop: 30 * SECOND, allowedLateness: 15 * SECOND });
    add(T0 + 10 * SECOND, 1);
    advance(T0 + 74 * SECOND);
    expect(windowsOf(ctx.emitted)).toEqual([['c1', T0 - 30 * SECOND, T0 + 30 * SECOND, 1, 1]]);
    add(T0 + 59 * SECOND, 2); // 15s behind event time, window [0, 60s) still open
    advance(T0 + 75 * SECOND);
    expect(windowsOf(ctx.emitted).at(-1)).toEqual(['c1', T0, T0 + MINUTE, 2, 3]);
  });

  it('gives the same windows for any arrival order within the allowed lateness (deterministic)', () => {
    const random = seeded(5);
    const events = Array.from({ length: 400 }, (_, i) => ({
      time: T0 + i * 2_000 + Math.floor(random() * 1_500),
      card: `c${Math.floor(random() * 3)}`,
      amount: Math.floor(random() * 90),
    }));
    const run = (order: typeof events) => {
      const { ctx, advance } = start({ size: MINUTE, hop: 15 * SECOND, allowedLateness: 10 * SECOND });
      for (const e of order) ctx.process(testEvent(e.time, { card: e.card, amount: e.amount }));
      advance(T0 + 20 * MINUTE, 5 * SECOND);
      return windowsOf(ctx.emitted);
    };
    const inOrder = run(events);
    expect(inOrder.reduce((n, w) => n + w[3], 0)).toBe(400 * 4); // each event is in S/H = 4 windows
    expect(run(jitter(events, 10 * SECOND, 8))).toEqual(inOrder);
    expect(run(jitter(events, 10 * SECOND, 9))).toEqual(inOrder);
  });

  it('rejects a size that is not a multiple of the hop', () => {
    let ctx!: DetectorContext;
    startProbe((context) => {
      ctx = context;
      return { process: () => undefined };
    });
    expect(() => new HoppingWindow(ctx, { name: 'h', size: MINUTE, hop: 25 * SECOND, onClose: () => undefined })).toThrow(
      'size (60000 ms) must be a multiple of hop (25000 ms)',
    );
  });
});
