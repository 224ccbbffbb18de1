import type { DetectorContext, FiredTimer, KeyedStore } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { replaceRange } from '../windows/compact-array.js';
import { checkDuration } from '../windows/window-aggregate.js';
import { checkCount, type EventPredicate, type PatternStep } from './pattern-step.js';

export const DEFAULT_MAX_PENDING = 16;

export interface FollowedByOptions {
  /** Store and timer name; the detector routes `onTimer` calls with this name here. */
  readonly name: string;
  /** T in ms: B must come at or after A and before A + T. */
  readonly within: number;
  /** Which events are an A (start a partial match) and which a B (complete one), for `process`. */
  readonly isA?: EventPredicate;
  readonly isB?: EventPredicate;
  /**
   * How far (ms) behind the partition's event time an A or B may still arrive and be paired: unpaired
   * Bs are kept that long for a late A, and a timeout waits that long after A + T. Default 0.
   */
  readonly lateness?: number;
  /** Unpaired As, and Bs, kept per key; beyond it the oldest is dropped without a callback. Default 16. */
  readonly maxPending?: number;
  readonly onMatch: (match: FollowedByMatch) => void;
  /** Called, from `onTimer`, for an A that no B followed within T, e.g. an authorisation never captured. */
  readonly onTimeout?: (timeout: FollowedByTimeout) => void;
}

export interface FollowedByMatch {
  readonly key: string;
  readonly a: PatternStep;
  readonly b: PatternStep;
  /** When the partial match began: A's time, or what `begin` was given (for compositions). */
  readonly since: number;
}

export interface FollowedByTimeout {
  readonly key: string;
  readonly a: PatternStep;
  readonly since: number;
  /** A + T: the first event time at which a B no longer counts. */
  readonly deadline: number;
}

const A = 3; // aTime, since, aId
const B = 2; // bTime, bId

/**
 * "A followed by B within T" per key, in event time: each B pairs with the earliest unpaired A of
 * its key such that A.time <= B.time < A.time + T; each A and each B is used at most once. An A
 * unpaired when event time reaches A + T (+ lateness) times out: `onTimeout` fires from a timer.
 *
 * Out of order. A B that arrives before its A (in arrival order, not event time) is kept for
 * `lateness` behind the partition's event time, so a late A still pairs with it; a late B pairs with
 * any A still pending. With at most one pending A per key the outcome does not depend on arrival
 * order within the bound; with several, a B pairs with the earliest pending A it finds at arrival,
 * which a later-arriving earlier A can no longer take. An A that arrives after its own deadline
 * times out at the next advance of event time unless a kept B pairs with it.
 *
 * An event that is both an A and a B (in `process`) first completes an earlier A, then starts a new
 * one; it never pairs with itself. `begin` and `offer` take steps directly, for compositions.
 *
 * Each key's state is ONE JSON array, As then Bs, each group oldest first:
 *
 *     [aCount, a0Time, a0Since, a0Id, ..., b0Time, b0Id, ...]
 *
 * and is deleted once empty. The key's one timer follows its earliest pending A's deadline; when
 * it fires, every A due by then times out, and the timer moves to the next A (which, if already
 * due, fires at the next advance of event time: a detector cannot see the watermark). Set the
 * detector's `meta.stateTtl` to at least T + lateness.
 */
export class FollowedBy {
  readonly name: string;
  readonly within: number;
  readonly lateness: number;
  private readonly maxPending: number;
  private readonly store: KeyedStore<(number | string)[]>;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: FollowedByOptions,
  ) {
    this.name = options.name;
    this.within = checkDuration('within', options.within);
    this.lateness = checkDuration('lateness', options.lateness ?? 0, true);
    this.maxPending = checkCount('maxPending', options.maxPending ?? DEFAULT_MAX_PENDING);
    this.store = context.store(options.name);
  }

  /** Offers the event as a B, then starts it as an A, as the predicates say. */
  process(key: string, event: VigilEvent): void {
    if (this.options.isB?.(event)) this.offer(key, event);
    if (this.options.isA?.(event)) this.begin(key, event);
  }

  /** Starts a partial match at `a` (pairing it at once with a kept B if one fits). */
  begin(key: string, step: PatternStep, since: number = step.time): void {
    const a: PatternStep = { id: step.id, time: step.time };
    let state = this.pruned(this.store.get(key) ?? [0]);
    const aEnd = endOfAs(state);
    for (let i = aEnd; i < state.length; i += B) {
      const bTime = state[i] as number;
      if (bTime >= a.time && bTime < a.time + this.within && state[i + 1] !== a.id) {
        const b: PatternStep = { time: bTime, id: state[i + 1] as string };
        this.save(key, replaceRange(state, i, B));
        this.options.onMatch({ key, a, b, since });
        return;
      }
    }
    const before = aEnd > 1 ? (state[1] as number) : undefined;
    let at = 1;
    while (at < aEnd && (state[at] as number) <= a.time) at += A;
    state = replaceRange(state, at, 0, [a.time, since, a.id]);
    state[0] = (state[0] as number) + 1;
    if ((state[0] as number) > this.maxPending) {
      state = replaceRange(state, 1, A);
      state[0] = (state[0] as number) - 1;
    }
    this.save(key, state);
    if (state[1] !== before) this.scheduleFirst(key, state);
  }

  /** Offers `b` to the key's pending As; true if it completed one, otherwise it is kept for a late A. */
  offer(key: string, step: PatternStep): boolean {
    const b: PatternStep = { id: step.id, time: step.time };
    const stored = this.store.get(key);
    let state = this.pruned(stored ?? [0]);
    const aEnd = endOfAs(state);
    for (let i = 1; i < aEnd; i += A) {
      const aTime = state[i] as number;
      if (aTime <= b.time && b.time < aTime + this.within && state[i + 2] !== b.id) {
        const a: PatternStep = { time: aTime, id: state[i + 2] as string };
        const since = state[i + 1] as number;
        state = replaceRange(state, i, A);
        state[0] = (state[0] as number) - 1;
        this.save(key, state);
        // The timer follows the earliest pending A (a stale one would only fire as a no-op).
        if (i === 1 && (state[0] as number) > 0) this.scheduleFirst(key, state);
        this.options.onMatch({ key, a, b, since });
        return true;
      }
    }
    if (b.time >= this.context.now() - this.lateness) {
      let at = aEnd;
      while (at < state.length && (state[at] as number) <= b.time) at += B;
      state = replaceRange(state, at, 0, [b.time, b.id]);
      if ((state.length - aEnd) / B > this.maxPending) state = replaceRange(state, aEnd, B);
    }
    if (state !== stored) this.save(key, state);
    return false;
  }

  /** Times out the key's due As when `timer` is this pattern's; false for someone else's timer. */
  onTimer(timer: FiredTimer): boolean {
    if (timer.name !== this.name) return false;
    const stored = this.store.get(timer.key);
    if (!stored) return true;
    let state = this.pruned(stored);
    const timeouts: FollowedByTimeout[] = [];
    while ((state[0] as number) > 0 && (state[1] as number) + this.within + this.lateness <= timer.time) {
      const aTime = state[1] as number;
      timeouts.push({ key: timer.key, a: { time: aTime, id: state[3] as string }, since: state[2] as number, deadline: aTime + this.within });
      state = replaceRange(state, 1, A);
      state[0] = (state[0] as number) - 1;
    }
    this.save(timer.key, state);
    if ((state[0] as number) > 0) this.scheduleFirst(timer.key, state);
    for (const timeout of timeouts) this.options.onTimeout?.(timeout);
    return true;
  }

  private scheduleFirst(key: string, state: readonly (number | string)[]): void {
    this.context.schedule(this.name, key, (state[1] as number) + this.within + this.lateness);
  }

  /** Drops kept Bs too old for any A still to come. */
  private pruned(state: (number | string)[]): (number | string)[] {
    const aEnd = endOfAs(state);
    const cutoff = this.context.now() - this.lateness;
    let keepFrom = aEnd;
    while (keepFrom < state.length && (state[keepFrom] as number) < cutoff) keepFrom += B;
    return keepFrom === aEnd ? state : replaceRange(state, aEnd, keepFrom - aEnd);
  }

  private save(key: string, state: (number | string)[]): void {
    if (state.length === 1) this.store.delete(key);
    else this.store.put(key, state);
  }
}

function endOfAs(state: readonly (number | string)[]): number {
  return 1 + (state[0] as number) * A;
}
