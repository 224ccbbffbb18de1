import type { DetectorContext, KeyedStore } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { replaceRange } from '../windows/compact-array.js';
import { NOTHING_EMITTED, checkDuration } from '../windows/window-aggregate.js';
import { checkCount, type EventPredicate, type PatternStep } from './pattern-step.js';

export interface TimesWithinOptions {
  /** Store name. */
  readonly name: string;
  /** N: how many matching events make a match. */
  readonly count: number;
  /** T in ms: the N events must span less than T (last − first < T). */
  readonly within: number;
  /** Which events count, for `process`; all of them when omitted. */
  readonly matches?: EventPredicate;
  /** How far (ms) behind the partition's event time a matching event may arrive and still count. Default 0. */
  readonly lateness?: number;
  readonly onMatch: (match: TimesWithinMatch) => void;
}

export interface TimesWithinMatch {
  readonly key: string;
  readonly count: number;
  /** Event times of the first and last of the N events. */
  readonly since: number;
  readonly until: number;
  /** The event whose arrival completed the match (the last in time unless it arrived late). */
  readonly trigger: PatternStep;
}

/**
 * "N matching events within T" per key, in event time: fires as soon as the key holds N events,
 * by their event times, within a span shorter than T (last − first < T), whatever order they
 * arrived in. The events of a match are consumed: every event at or before the match's last event
 * time is forgotten, and a late event at or before it is ignored, so the next match needs N new
 * events after it (no overlapping matches).
 *
 * Decisions are made on arrival, for the lowest latency and so the finding is attributed to the
 * event that completed it. So when events of one key arrive out of order AND more than N of them
 * fall within T, which ones form the match (and so what is consumed) can depend on arrival order;
 * a burst of exactly N is found the same whatever the order. Replays are always identical.
 *
 * Only event times are kept, not ids: a match names the event that completed it. Times that can no
 * longer be part of a match with an event still to come (at or before now − lateness − T) are pruned
 * on each event of the key; no timers. Each key's state is ONE number array:
 *
 *     [consumedThrough, t0, t1, ...]   times ascending, fewer than N within any span of T
 *
 * A key with nothing consumed and no times is deleted; one with a consumed mark is evicted by the
 * runtime after the detector's `meta.stateTtl`, which should be at least T + lateness.
 */
export class TimesWithin {
  readonly name: string;
  readonly count: number;
  readonly within: number;
  readonly lateness: number;
  private readonly store: KeyedStore<number[]>;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: TimesWithinOptions,
  ) {
    this.name = options.name;
    this.count = checkCount('count', options.count);
    this.within = checkDuration('within', options.within);
    this.lateness = checkDuration('lateness', options.lateness ?? 0, true);
    this.store = context.store<number[]>(options.name);
  }

  /** Adds the event if it matches the predicate; true if it completed a match. */
  process(key: string, event: VigilEvent): boolean {
    if (this.options.matches && !this.options.matches(event)) return false;
    return this.add(key, event);
  }

  /** Adds a matching event; true if it completed a match, false otherwise or if it was consumed already. */
  add(key: string, step: PatternStep): boolean {
    const stored = this.store.get(key) ?? [NOTHING_EMITTED];
    if (step.time <= stored[0]!) return false;
    const cutoff = this.context.now() - this.lateness - this.within;
    let keepFrom = 1;
    while (keepFrom < stored.length && stored[keepFrom]! <= cutoff) keepFrom++;
    let at = keepFrom;
    while (at < stored.length && stored[at]! <= step.time) at++;
    let state = replaceRange(stored, at, 0, [step.time]);
    state = keepFrom === 1 ? state : replaceRange(state, 1, keepFrom - 1);

    const n = this.count;
    for (let i = 1; i + n - 1 < state.length; i++) {
      const since = state[i]!;
      const until = state[i + n - 1]!;
      if (until - since < this.within) {
        let rest = i + n;
        while (rest < state.length && state[rest]! <= until) rest++;
        state = replaceRange(state, 1, rest - 1);
        state[0] = until;
        this.store.put(key, state);
        this.options.onMatch({ key, count: n, since, until, trigger: { id: step.id, time: step.time } });
        return true;
      }
    }
    this.save(key, state);
    return false;
  }

  private save(key: string, state: number[]): void {
    if (state.length === 1 && state[0] === NOTHING_EMITTED) this.store.delete(key);
    else this.store.put(key, state);
  }
}
