import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { FeedbackLabel, VigilEvent } from '../../../../model/records.js';
import { labelRiskParams, windowSuffix, type LabelRiskParams } from './label-risk.params.js';

/**
 * Store of each key's labels: [quietUntil, lastFraudTime, lastGenuineTime, bucketStart, labelled, frauds,
 * bucketStart, ...], buckets oldest first.
 */
export const LABELS_STORE = 'labels';
const QUIET_UNTIL = 0;
const LAST_FRAUD = 1;
const LAST_GENUINE = 2;
const HEADER = 3;
const DAY = 86_400_000;
const STRIDE = 3;

/**
 * Risk of a terminal (or merchant, customer) learnt from fraud labels that have ARRIVED: labels come
 * days after the transaction (`onFeedback`, called by the runtime once event time reaches
 * `labelled_at`), so the detector only ever knows the past, and never the label of the event being
 * scored. A compromised terminal shows up as a high share of fraud among its labelled transactions.
 *
 * Per key, labels are counted in buckets of transaction time over `window` (a bucket counts while
 * any part of it is inside a look-back). Signals for every event
 * whose key has labels: `rate` (frauds / labelled in the window), `frauds`, `labelled`, and
 * `rate_<w>` / `frauds_<w>` / `labelled_<w>` for each of `signalWindows` that holds labels, and
 * `last_fraud_days` (days since the latest known fraud's transaction) when it is within the window,
 * `first_fraud_days` (days since the start of the oldest day bucket in the window holding a fraud) and
 * `latest_fraud` (1 when the latest labelled transaction is that fraud, 0 when a genuine one came after it).
 * A finding (kind `<key>.label_risk`, entity the key value) when the rate and fraud count pass their
 * thresholds, at most once per `quietFor`.
 */
export const labelRiskDetector = defineDetector<LabelRiskParams>({
  meta: {
    name: 'label_risk',
    version: '1.0.0',
    description: 'Fraud rate per terminal (or merchant, customer) from delayed fraud labels that have arrived',
    params: labelRiskParams,
    requiredFields: (p) => [p.key],
    stateTtl: (p) => p.window,
  },
  create(context: DetectorContext, params: LabelRiskParams): DetectorInstance {
    const store = context.store<number[]>(LABELS_STORE);
    const kind = `${params.key.replace(/_id$/, '')}.label_risk`;
    const extra = params.signalWindows.map((ms) => ({
      ms,
      rate: `rate_${windowSuffix(ms)}`,
      frauds: `frauds_${windowSuffix(ms)}`,
      labelled: `labelled_${windowSuffix(ms)}`,
    }));
    const extraLabelled = new Array<number>(extra.length);
    const extraFrauds = new Array<number>(extra.length);
    // Set by `totals` (called for every event of a key with labels) instead of returned in a new array.
    let labelledTotal = 0;
    let fraudTotal = 0;
    /** Start of the oldest bucket in the window holding a fraud (0: none). */
    let firstFraudBucket = 0;

    /** Drops buckets that left the window ending at `now` and counts the labels of the rest. */
    function totals(state: number[], now: number): void {
      const oldest = now - params.window;
      let first = HEADER;
      while (first < state.length && state[first]! + params.bucket <= oldest) first += STRIDE;
      if (first > HEADER) state.splice(HEADER, first - HEADER);
      labelledTotal = 0;
      fraudTotal = 0;
      firstFraudBucket = 0;
      for (let i = HEADER; i < state.length; i += STRIDE) {
        labelledTotal += state[i + 1]!;
        fraudTotal += state[i + 2]!;
        if (firstFraudBucket === 0 && state[i + 2]! > 0) firstFraudBucket = state[i]!;
      }
      // Buckets are oldest first, so a shorter look-back holds the newest few: sum them from the end.
      for (let w = 0; w < extra.length; w++) {
        const since = now - extra[w]!.ms;
        let labelled = 0;
        let frauds = 0;
        for (let i = state.length - STRIDE; i >= HEADER && state[i]! + params.bucket > since; i -= STRIDE) {
          labelled += state[i + 1]!;
          frauds += state[i + 2]!;
        }
        extraLabelled[w] = labelled;
        extraFrauds[w] = frauds;
      }
    }

    return {
      onFeedback(label: FeedbackLabel): void {
        const key = label[params.labelKey];
        if (!key || label.time <= context.now() - params.window) return;
        const state = withHeader(store.get(key)) ?? [0, 0, 0];
        if (label.fraud && label.time > state[LAST_FRAUD]!) state[LAST_FRAUD] = label.time;
        if (!label.fraud && label.time > state[LAST_GENUINE]!) state[LAST_GENUINE] = label.time;
        const start = Math.floor(label.time / params.bucket) * params.bucket;
        // Labels come roughly in transaction-time order: search from the newest bucket.
        let i = state.length - STRIDE;
        while (i >= HEADER && state[i]! > start) i -= STRIDE;
        if (i >= HEADER && state[i] === start) {
          state[i + 1]! += 1;
          if (label.fraud) state[i + 2]! += 1;
        } else {
          state.splice(i + STRIDE, 0, start, 1, label.fraud ? 1 : 0);
        }
        store.put(key, state);
      },

      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        if (keyValue === null || keyValue === undefined) return;
        const key = String(keyValue);
        const state = withHeader(store.get(key));
        if (!state) return;
        const before = state.length;
        totals(state, event.time);
        const labelled = labelledTotal;
        const frauds = fraudTotal;
        if (labelled === 0) {
          store.delete(key);
          return;
        }
        const rate = frauds / labelled;
        context.signal('rate', rate);
        context.signal('frauds', frauds);
        context.signal('labelled', labelled);
        // A compromised terminal keeps producing frauds: how long ago the latest known one was says
        // whether it still is (with labels d days late, at best d days ago).
        if (state[LAST_FRAUD]! > 0 && state[LAST_FRAUD]! > event.time - params.window) {
          context.signal('last_fraud_days', (event.time - state[LAST_FRAUD]!) / DAY);
          // All of a compromised terminal's payments are fraud until it is cleaned: a genuine payment
          // labelled after the latest fraud says the streak ended (or the fraud was the card's, not
          // the terminal's); none says it may still be running.
          context.signal('latest_fraud', state[LAST_FRAUD]! > state[LAST_GENUINE]! ? 1 : 0);
        }
        // ...and how long ago the oldest known one in the window was says how long it has been: a
        // skimmer is found and removed after a while, so a long-running streak is likely over.
        if (firstFraudBucket > 0) context.signal('first_fraud_days', (event.time - firstFraudBucket) / DAY);
        for (let w = 0; w < extra.length; w++) {
          if (extraLabelled[w] === 0) continue;
          context.signal(extra[w]!.rate, extraFrauds[w]! / extraLabelled[w]!);
          context.signal(extra[w]!.frauds, extraFrauds[w]!);
          context.signal(extra[w]!.labelled, extraLabelled[w]!);
        }
        const fires = frauds >= params.minFrauds && rate >= params.emitAbove && event.time >= state[QUIET_UNTIL]!;
        if (fires) {
          state[QUIET_UNTIL] = event.time + params.quietFor;
          context.emit({
            entity: key,
            severity: params.severity,
            kind,
            title: `${params.key} ${key}: ${frauds} of ${labelled} labelled transactions in the last ${Math.round(params.window / 86_400_000)}d were fraud`,
            score: rate,
            windowStart: event.time - params.window,
            windowEnd: event.time,
            values: { rate: Math.round(rate * 1000) / 1000, frauds, labelled },
            thresholds: { rate: params.emitAbove, frauds: params.minFrauds },
            eventIds: [event.id],
          });
        }
        if (fires || state.length !== before) store.put(key, state);
      },
    };
  },
});

/**
 * State written before lastGenuineTime joined the header ([quietUntil, lastFraudTime, buckets...]:
 * length 2 modulo the bucket stride) gets it, as 0 (no genuine label known), in place.
 */
function withHeader(state: number[] | undefined): number[] | undefined {
  if (state !== undefined && state.length % STRIDE === 2) state.splice(LAST_GENUINE, 0, 0);
  return state;
}
