import type { DetectorContext, KeyedStore } from '../../model/detector.js';
import { dropAndOpen, lowerBound, replaceRange } from './compact-array.js';
import { checkDuration, finite } from './window-aggregate.js';
import { DEFAULT_BUCKETS } from '../../model/template/window-buckets.js';

export interface SlidingAggregateOptions {
  /** The look-back W in ms: the window ends at each key's latest event. */
  readonly window: number;
  /** Buckets per window, N; a bucket spans B = ceil(W / N) ms. Default 60. */
  readonly buckets?: number;
  /** Keep min and max per bucket (5 numbers a bucket) or only count and sum (3). Default true. */
  readonly minMax?: boolean;
  /** Leading numbers of each key's array left to the caller (slots 0..header-1, initially 0). Default 0. */
  readonly header?: number;
}

/** The aggregate over one key's window, as of its latest event. */
export interface SlidingWindow {
  readonly count: number;
  readonly sum: number;
  /** Undefined unless the aggregate keeps `minMax`. */
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Start of the oldest counted bucket: every counted event is at or after it (and after end − W). */
  readonly start: number;
  /** The key's latest event time, where the window ends (inclusive). */
  readonly end: number;
}

/**
 * Per-key sliding aggregates (count, sum, min, max) over a look-back window ending at each key's
 * latest event, pre-aggregated in time buckets so the cost of an event is O(buckets held), however
 * many events the window holds. Each key's state is ONE number array in a runtime-owned store:
 *
 *     [header..., latest, b0Start, count, sum, (min, max,) b1Start, ...]   buckets oldest first
 *
 * so a key that saw one event costs header + 4 numbers (6 with min/max).
 *
 * The window, precisely. Buckets are aligned to the epoch: bucket(t) = floor(t / B) * B. With the
 * key's latest event at L, an event at e is counted iff bucket(e) >= bucket(L) + B − W. When B divides
 * W (e.g. 10m / 60 = 10s) that is exactly the events in [bucket(L) + B − W, L]: the exact window
 * (L − W, L] with its old edge moved FORWARD to the next bucket boundary. The edge bucket that
 * contains L − W is therefore not counted at all; the bucket that contains L is counted in full. So
 * the window never counts an event W or more older than L (a finding stays true of the window it
 * names) and may miss up to one bucket's worth (< B) of the oldest part of the window. When B does not
 * divide W the rule is the same and the miss is under 2B. Example, W = 10m, N = 60 (B = 10s): at
 * 12:10:03 the window counts events from 12:00:10 on; one at 12:00:05 is in (L − W, L] but not
 * counted; one at 12:00:10 is counted until the key's latest event reaches 12:10:10.
 *
 * Out of order. An event earlier than the key's latest goes into its own bucket as long as that
 * bucket is still in the window of the latest event; the aggregate returned is the window ending at
 * the key's latest event (which now includes it). An event whose bucket has left that window is
 * dropped and `add` returns undefined. Results depend only on the set of events per key, not on the
 * order they arrived in, as long as none is dropped (sums up to floating-point rounding).
 *
 * Buckets are pruned on each `add` only; idle keys are evicted by the runtime after the detector's
 * `meta.stateTtl`, which should be at least W.
 */
export class SlidingAggregate {
  readonly window: number;
  readonly bucketMs: number;
  readonly headerSize: number;
  private readonly minMax: boolean;
  private readonly stride: number;
  /** A new key's array before its first event: header, latest and one bucket, all 0. */
  private readonly blank: readonly number[];

  constructor(
    private readonly store: KeyedStore<number[]>,
    options: SlidingAggregateOptions,
  ) {
    this.window = checkDuration('window', options.window);
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
    const header = options.header ?? 0;
    if (!Number.isInteger(header) || header < 0) throw new RangeError(`header must be a non-negative integer, got ${header}`);
    this.bucketMs = Math.ceil(this.window / buckets);
    this.headerSize = header;
    this.minMax = options.minMax ?? true;
    this.stride = this.minMax ? 5 : 3;
    // Filled with a fraction first so that its zeros are unboxed doubles, as a key's times and
    // sums are: a copy of it needs no conversion when they are written (see compact-array.ts).
    this.blank = new Array<number>(header + 1 + this.stride).fill(0.5).fill(0);
  }

  /** A sliding aggregate kept in the detector's store `name`. */
  static open(context: DetectorContext, name: string, options: SlidingAggregateOptions): SlidingAggregate {
    return new SlidingAggregate(context.store<number[]>(name), options);
  }

  bucketStart(time: number): number {
    return Math.floor(time / this.bucketMs) * this.bucketMs;
  }

  /**
   * Adds `value` at `time` for `key` and returns the aggregate over the key's window as of its
   * latest event, or undefined (state unchanged) when the event is too old to fall in that window.
   */
  add(key: string, time: number, value: number): SlidingWindow | undefined {
    const v = finite(value);
    const h = this.headerSize;
    const first = h + 1;
    const bucket = this.bucketStart(time);
    const state = this.store.get(key);
    if (!state) {
      const fresh = this.blank.slice();
      fresh[h] = time;
      this.writeBucket(fresh, first, bucket, v);
      this.store.put(key, fresh);
      return this.summarise(fresh);
    }

    const latest = Math.max(state[h]!, time);
    const cutoff = this.bucketStart(latest) + this.bucketMs - this.window;
    if (bucket < cutoff) return undefined;
    const keepFrom = lowerBound(state, first, state.length, this.stride, cutoff);
    // bucket >= cutoff, so its place is at or after the buckets kept.
    const at = lowerBound(state, keepFrom, state.length, this.stride, bucket);
    const dropped = keepFrom - first;
    let next: number[];
    if (at < state.length && state[at] === bucket) {
      next = dropped === 0 ? state : replaceRange(state, first, dropped);
      this.addToBucket(next, at - dropped, v);
    } else if (dropped === this.stride) {
      // One bucket expires as one opens: the array keeps its length, so shift it in place.
      next = state;
      next.copyWithin(first, keepFrom, at);
      this.writeBucket(next, at - dropped, bucket, v);
    } else {
      next = dropAndOpen(state, first, keepFrom, at, this.stride);
      this.writeBucket(next, at - dropped, bucket, v);
    }
    next[h] = latest;
    this.store.put(key, next);
    return this.summarise(next);
  }

  /** The aggregate over the key's window as of its latest event; undefined for an unknown key. */
  get(key: string): SlidingWindow | undefined {
    const state = this.store.get(key);
    return state ? this.summarise(state) : undefined;
  }

  /** The caller's header slot `slot` of the key's array; undefined for an unknown key. */
  header(key: string, slot: number): number | undefined {
    this.checkSlot(slot);
    return this.store.get(key)?.[slot];
  }

  /** Sets the caller's header slot `slot` (a finite number) of a key that holds state; false otherwise. */
  setHeader(key: string, slot: number, value: number): boolean {
    this.checkSlot(slot);
    const state = this.store.get(key);
    if (!state) return false;
    state[slot] = finite(value);
    this.store.put(key, state);
    return true;
  }

  private summarise(state: readonly number[]): SlidingWindow {
    const first = this.headerSize + 1;
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = first; i < state.length; i += this.stride) {
      count += state[i + 1]!;
      sum += state[i + 2]!;
      if (this.minMax) {
        min = Math.min(min, state[i + 3]!);
        max = Math.max(max, state[i + 4]!);
      }
    }
    return {
      count,
      sum,
      min: this.minMax ? min : undefined,
      max: this.minMax ? max : undefined,
      start: state[first]!,
      end: state[this.headerSize]!,
    };
  }

  private writeBucket(state: number[], at: number, bucket: number, value: number): void {
    state[at] = bucket;
    state[at + 1] = 1;
    state[at + 2] = value;
    if (this.minMax) {
      state[at + 3] = value;
      state[at + 4] = value;
    }
  }

  private addToBucket(state: number[], at: number, value: number): void {
    state[at + 1] = state[at + 1]! + 1;
    state[at + 2] = state[at + 2]! + value;
    if (this.minMax) {
      if (value < state[at + 3]!) state[at + 3] = value;
      if (value > state[at + 4]!) state[at + 4] = value;
    }
  }

  private checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.headerSize) {
      throw new RangeError(`header slot ${slot} out of range: this aggregate reserves ${this.headerSize}`);
    }
  }
}
