import type { DetectorContext, FiredTimer, KeyedStore } from '../../model/detector.js';
import { lowerBound, replaceRange } from './compact-array.js';
import {
  CELL,
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

export interface HoppingWindowOptions {
  /** Store and timer name; the detector routes `onTimer` calls with this name here. */
  readonly name: string;
  /** Window length S in ms. */
  readonly size: number;
  /** Distance H between window starts in ms; S must be a multiple of H. */
  readonly hop: number;
  /** Extra event time (ms) a window waits after its end before it is emitted. Default 0. */
  readonly allowedLateness?: number;
  readonly onClose: ClosedWindowHandler;
}

const PANE = 1 + CELL;

/**
 * Per-key hopping windows [kH, kH + S), aligned to the epoch (UTC), each emitted once through
 * `onClose` when event time passes its end. Events are pre-aggregated per pane of H ms, so an event
 * costs one pane update instead of S/H window updates, and a key holds at most (S + lateness)/H + 1
 * panes. Each key's state is ONE number array:
 *
 *     [emittedThrough, p0Start, count, sum, min, max, p1Start, ...]   panes oldest first
 *
 * where emittedThrough is the end of the key's last emitted window.
 *
 * Closing and allowed lateness. A window ending at E is emitted when the partition's event time
 * reaches E + allowedLateness (a timer; in the runtime, timers also wait for the template's
 * maxOutOfOrderness, so allowedLateness is tolerance on top of it). Until then an event for it, in
 * any order, is counted; the emitted result is final and is never revised. An event arriving after
 * every window containing it has been emitted is dropped (`add` returns false); one that still
 * belongs to a later, open window of the hop is counted there only. Windows with no events are
 * never emitted. A key whose windows are all emitted keeps [emittedThrough] so late events cannot
 * reopen a window; the runtime evicts it after the detector's `meta.stateTtl`, which should be at
 * least S + allowedLateness.
 *
 * The key's one timer (timers are per name and key) is set for its earliest unemitted window; when
 * it fires, windows whose end + lateness is at or before the timer's time are emitted, oldest first,
 * and the timer moves to the next one. Later windows already due then close at the next advance of
 * event time, since a detector cannot see the watermark itself.
 */
export class HoppingWindow {
  readonly name: string;
  readonly size: number;
  readonly hop: number;
  readonly allowedLateness: number;
  private readonly store: KeyedStore<number[]>;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: HoppingWindowOptions,
  ) {
    this.name = options.name;
    this.size = checkDuration('size', options.size);
    this.hop = checkDuration('hop', options.hop);
    if (this.size % this.hop !== 0) throw new RangeError(`size (${this.size} ms) must be a multiple of hop (${this.hop} ms)`);
    this.allowedLateness = checkDuration('allowedLateness', options.allowedLateness ?? 0, true);
    this.store = context.store<number[]>(options.name);
  }

  /** Counts `value` at `time` in every open window of `key` that contains it; false if none is open. */
  add(key: string, time: number, value: number): boolean {
    const v = finite(value);
    const pane = Math.floor(time / this.hop) * this.hop;
    const state = this.store.get(key) ?? [NOTHING_EMITTED];
    if (pane + this.size <= state[0]!) return false;
    const before = this.nextEnd(state);
    const at = lowerBound(state, 1, state.length, PANE, pane);
    let next = state;
    if (at < state.length && state[at] === pane) addToCell(state, at + 1, v);
    else next = replaceRange(state, at, 0, [pane, ...cellOf(v)]);
    this.store.put(key, next);
    const after = this.nextEnd(next)!;
    if (after !== before) this.context.schedule(this.name, key, after + this.allowedLateness);
    return true;
  }

  /** Emits the key's due windows when `timer` is this window's; false for someone else's timer. */
  onTimer(timer: FiredTimer): boolean {
    if (timer.name !== this.name) return false;
    let state = this.store.get(timer.key);
    if (!state) return true;
    const closeThrough = timer.time - this.allowedLateness;
    const closed: ClosedWindow[] = [];
    for (let end = this.nextEnd(state); end !== undefined && end <= closeThrough; end = this.nextEnd(state)) {
      const start = end - this.size;
      const total = emptyAggregate();
      for (let i = 1; i < state.length && state[i]! < end; i += PANE) {
        if (state[i]! >= start) foldCell(total, state, i + 1);
      }
      closed.push({ key: timer.key, start, end, ...total });
      // Panes whose last window just closed are no longer needed.
      const keepFrom = lowerBound(state, 1, state.length, PANE, end - this.size + this.hop);
      state = replaceRange(state, 1, keepFrom - 1);
      state[0] = end;
    }
    this.store.put(timer.key, state);
    const next = this.nextEnd(state);
    if (next !== undefined) this.context.schedule(this.name, timer.key, next + this.allowedLateness);
    // State is settled before the handler runs, so it may call back into this window.
    for (const window of closed) this.options.onClose(window);
    return true;
  }

  /** End of the key's earliest unemitted window that holds an event. */
  private nextEnd(state: readonly number[]): number | undefined {
    if (state.length === 1) return undefined;
    return Math.max(state[0]! + this.hop, state[1]! + this.hop);
  }
}
