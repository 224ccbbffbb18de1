import { defineDetector, type DetectorContext, type DetectorInstance } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { firstSeenParams, type FirstSeenParams } from './first-seen.params.js';

/**
 * Pairs seen: `<key>\u0000<value>` -> [lastSeen]. One entry per pair rather than a list per key:
 * a customer may use hundreds of terminals, and a lookup stays O(1) however many.
 */
export const PAIRS_STORE = 'pairs';
/** Per key: [payments, distinct values first seen within `remember`]. */
export const HISTORY_STORE = 'history';

/**
 * First-seen: a customer (or card) paying at a terminal or merchant they have not used within
 * `remember`. On its own it is ordinary, but with a large amount or on a long-settled card it is
 * a classic account-takeover sign, so it is a signal for the risk score: `new` (1 or 0) once the
 * key has `minHistory` payments, and `known` (how many values were new to the key so far; pairs
 * forgotten after `remember` count again when they come back). Findings (`first_seen.<of>`) only
 * with `emit: true`.
 */
export const firstSeenDetector = defineDetector<FirstSeenParams>({
  meta: {
    name: 'first_seen',
    version: '1.0.0',
    description: 'A terminal or merchant a customer has not used before (within a memory window)',
    params: firstSeenParams,
    requiredFields: (p) => [p.key, p.of],
    stateTtl: (p) => p.remember,
  },
  create(context: DetectorContext, params: FirstSeenParams): DetectorInstance {
    const pairs = context.store<number[]>(PAIRS_STORE);
    const history = context.store<number[]>(HISTORY_STORE);
    const kind = `first_seen.${params.of.replace(/_id$/, '')}`;
    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        const ofValue = event.fields[params.of];
        if (keyValue === null || keyValue === undefined || ofValue === null || ofValue === undefined) return;
        const key = String(keyValue);
        const pairKey = `${key}\u0000${String(ofValue)}`;
        const seen = pairs.get(pairKey);
        const isNew = seen === undefined || event.time - seen[0]! >= params.remember;
        const counts = history.get(key) ?? [0, 0];
        const [payments, known] = counts as [number, number];
        if (!seen || event.time > seen[0]!) pairs.put(pairKey, [event.time]);
        history.put(key, [payments + 1, known + (isNew ? 1 : 0)]);
        if (payments < params.minHistory) return;
        context.signal('new', isNew ? 1 : 0);
        context.signal('known', known);
        if (!isNew || !params.emit) return;
        context.emit({
          entity: event.key,
          severity: params.severity,
          kind,
          title: `${params.key} ${key} pays at ${params.of} ${String(ofValue)} for the first time (${known} known)`,
          score: 1 / (1 + known),
          windowStart: event.time,
          windowEnd: event.time,
          values: { known, payments },
          thresholds: { min_history: params.minHistory },
          eventIds: [event.id],
        });
      },
    };
  },
});
