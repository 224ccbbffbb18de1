import type { DetectorContext, FiredTimer, KeyedStore } from '../../model/detector.js';
import { replaceRange } from './compact-array.js';
import {
  NOTHING_EMITTED,
  addToCell,
  cellOf,
  checkDuration,
  emptyAggregate,
  finite,
  foldCell,
  type ClosedWindow,
  type ClosedWindowHandler,
} from './window-aggregate.js';

export interface SessionWindowOptions {
  /** Store and timer name; the detector routes `onTimer` calls with this name here. */
  readonly name: string;
  /** Inactivity gap G in ms: events less than G apart belong to the same session. */
  readonly gap: number;
  /** Extra event time (ms) a session waits after last + gap before it is emitted. Default 0. */
  readonly allowedLateness?: number;
  readonly onClose: ClosedWindowHandler;
}

const SESSION = 6;

/**
 * Per-key session windows: each event opens [t, t + G), and overlapping ones merge, so a session is
 * a run of events each less than G after the previous. A session closes at last + G (an event at
 * exactly last + G starts a new one) and is emitted once through `onClose` with start = its first
 * event time and end = last + G, when the partition's event time reaches end + allowedLateness.
 *
 * Out of order. Until then an event may arrive in any order: it extends, opens or bridges sessions
 * (two sessions merge when an event falls less than G from both). An event earlier than the end of
 * the key's last emitted session is dropped (`add` returns false), so an emitted session is final.
 * In the runtime, timers also wait for the template's maxOutOfOrderness; allowedLateness is on top.
 *
 * Each key's state is ONE number array, sessions ordered by start and at least G apart:
 *
 *     [emittedThrough, s0Start, s0Last, count, sum, min, max, s1Start, ...]
 *
 * A key whose sessions are all emitted keeps [emittedThrough] until the runtime evicts it after the
 * detector's `meta.stateTtl`, which should be at least G + allowedLateness (a session longer than the
 * TTL stays alive: each event touches the key). The key's one timer is set for its earliest session.
 */
export class SessionWindow {
  readonly name: string;
  readonly gap: number;
  readonly allowedLateness: number;
  private readonly store: KeyedStore<number[]>;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: SessionWindowOptions,
  ) {
    this.name = options.name;
    this.gap = checkDuration('gap', options.gap);
    this.allowedLateness = checkDuration('allowedLateness', options.allowedLateness ?? 0, true);
    this.store = context.store<number[]>(options.name);
  }

  /** Adds `value` at `time` to the key's sessions; false when it falls in an emitted one. */
  add(key: string, time: number, value: number): boolean {
    const v = finite(value);
    const state = this.store.get(key) ?? [NOTHING_EMITTED];
    if (time < state[0]!) return false;
    const before = this.nextClose(state);
    let i = 1;
    while (i < state.length && state[i + 1]! + this.gap <= time) i += SESSION;
    let j = i;
    while (j < state.length && state[j]! - this.gap < time) j += SESSION;

    let next: number[];
    if (i === j) {
      next = replaceRange(state, i, 0, [time, time, ...cellOf(v)]);
    } else if (j === i + SESSION) {
      next = state;
      next[i] = Math.min(next[i]!, time);
      next[i + 1] = Math.max(next[i + 1]!, time);
      addToCell(next, i + 2, v);
    } else {
      const total = emptyAggregate();
      for (let s = i; s < j; s += SESSION) foldCell(total, state, s + 2);
      const merged = [Math.min(state[i]!, time), Math.max(state[j - SESSION + 1]!, time), total.count, total.sum, total.min, total.max];
      addToCell(merged, 2, v);
      next = replaceRange(state, i, j - i, merged);
    }
    this.store.put(key, next);
    const after = this.nextClose(next)!;
    if (after !== before) this.context.schedule(this.name, key, after + this.allowedLateness);
    return true;
  }

  /** Emits the key's closed sessions when `timer` is this window's; false for someone else's timer. */
  onTimer(timer: FiredTimer): boolean {
    if (timer.name !== this.name) return false;
    let state = this.store.get(timer.key);
    if (!state) return true;
    const closeThrough = timer.time - this.allowedLateness;
    const closed: ClosedWindow[] = [];
    for (let end = this.nextClose(state); end !== undefined && end <= closeThrough; end = this.nextClose(state)) {
      const total = emptyAggregate();
      foldCell(total, state, 3);
      closed.push({ key: timer.key, start: state[1]!, end, ...total });
      state = replaceRange(state, 1, SESSION);
      state[0] = end;
    }
    this.store.put(timer.key, state);
    const next = this.nextClose(state);
    if (next !== undefined) this.context.schedule(this.name, timer.key, next + this.allowedLateness);
    // State is settled before the handler runs, so it may call back into this window.
    for (const window of closed) this.options.onClose(window);
    return true;
  }

  /** When the key's earliest session closes: its last event + gap. */
  private nextClose(state: readonly number[]): number | undefined {
    return state.length === 1 ? undefined : state[2]! + this.gap;
  }
}
