import type { DetectorContext, FiredTimer } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { FollowedBy } from './followed-by.js';
import type { EventPredicate, PatternStep } from './pattern-step.js';
import { TimesWithin } from './times-within.js';

export interface BurstFollowedByOptions {
  /** Prefix of the two stores (`<name>.burst`, `<name>.then`) and of the timer name (`<name>.then`). */
  readonly name: string;
  /** The burst: `count` events passing `matches` within `within` ms, e.g. 5 payments under 2 EUR in 10m. */
  readonly burst: { readonly count: number; readonly within: number; readonly matches: EventPredicate };
  /** What must follow the burst's last event within `within` ms, e.g. one payment over 200 EUR in 30m. */
  readonly then: { readonly within: number; readonly matches: EventPredicate };
  /** How far (ms) behind the partition's event time an event may arrive and still count. Default 0. */
  readonly lateness?: number;
  /** Bursts awaiting their follow-up, and unpaired follow-ups, kept per key. Default 16. */
  readonly maxPending?: number;
  readonly onMatch: (match: BurstFollowedByMatch) => void;
  /** Called, from `onTimer`, for a burst that nothing followed in time. */
  readonly onTimeout?: (timeout: BurstTimeout) => void;
}

export interface BurstFollowedByMatch {
  readonly key: string;
  /** Time of the burst's first event. */
  readonly since: number;
  /** The event that completed the burst, with the time of the burst's last event. */
  readonly burst: PatternStep;
  /** The follow-up event. */
  readonly then: PatternStep;
}

export interface BurstTimeout {
  readonly key: string;
  readonly since: number;
  readonly burst: PatternStep;
  /** Burst end + then.within: the first event time at which a follow-up no longer counts. */
  readonly deadline: number;
}

/**
 * "N matching events within T1, followed by one other event within T2" per key, in event time: the
 * card-testing shape (a run of tiny payments probing a stolen card, then a large one cashing it
 * out). It is a composition of the two primitives through their public API: a TimesWithin match
 * `begin`s a FollowedBy at the burst's last event time, and each follow-up candidate is `offer`ed to
 * it; the semantics (consumed bursts, T2 counted from the burst's last event, out-of-order handling,
 * timeouts) are theirs. An event passing both predicates is offered as a follow-up first.
 *
 * State: `<name>.burst` holds the times of recent candidate events per key (a few numbers);
 * `<name>.then` holds completed bursts awaiting a follow-up and kept follow-ups. Set the detector's
 * `meta.stateTtl` to at least T1 + T2 + lateness.
 */
export class BurstFollowedBy {
  private readonly burst: TimesWithin;
  private readonly then: FollowedBy;
  private readonly isThen: EventPredicate;

  constructor(context: DetectorContext, options: BurstFollowedByOptions) {
    this.isThen = options.then.matches;
    this.then = new FollowedBy(context, {
      name: `${options.name}.then`,
      within: options.then.within,
      lateness: options.lateness,
      maxPending: options.maxPending,
      onMatch: (m) => options.onMatch({ key: m.key, since: m.since, burst: m.a, then: m.b }),
      onTimeout: (t) => options.onTimeout?.({ key: t.key, since: t.since, burst: t.a, deadline: t.deadline }),
    });
    this.burst = new TimesWithin(context, {
      name: `${options.name}.burst`,
      count: options.burst.count,
      within: options.burst.within,
      matches: options.burst.matches,
      lateness: options.lateness,
      onMatch: (m) => this.then.begin(m.key, { id: m.trigger.id, time: m.until }, m.since),
    });
  }

  process(key: string, event: VigilEvent): void {
    if (this.isThen(event)) this.then.offer(key, event);
    this.burst.process(key, event);
  }

  /** Times out bursts when `timer` is this pattern's; false for someone else's timer. */
  onTimer(timer: FiredTimer): boolean {
    return this.then.onTimer(timer);
  }
}
