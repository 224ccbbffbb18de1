import { defineDetector, type DetectorContext, type DetectorInstance } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { amountDeviationParams, type AmountDeviationParams } from './amount-deviation.params.js';

/** Store of each key's baseline: [count, mean, deviation, recent, recentFlagged]. */
export const BASELINE_STORE = 'baseline';
/** Deviation of a baseline built from one amount, as a share of it, until more amounts arrive. */
const PRIOR_CV = 0.5;
/** Mean absolute deviation of a normal distribution is 0.8 σ; z is reported in σ. */
const MAD_TO_SIGMA = 1.25;
/** A floor on the deviation so a customer who always pays the same amount is not infinitely sure. */
const MIN_DEVIATION_SHARE = 0.05;

/**
 * Amount deviation: how unusual a payment's amount is for this customer. Per key it keeps an
 * exponentially weighted mean and mean absolute deviation of past amounts (3 numbers). The baseline
 * is robust to the frauds it should catch: an amount far above it is winsorised (enters as
 * mean + clip × deviation) and an amount that fires is not learnt at all, so an account taken over
 * and drained does not teach the baseline that large payments are normal.
 *
 * Signals for every scored event: `ratio` (amount / mean), `z` (deviations above the mean, in σ),
 * `history` (payments seen), `mean` (the baseline) and `recent`: a plain EWMA of ALL amounts with the
 * faster `recentAlpha`, deliberately not robust, so a card whose recent payments run above its
 * baseline (a compromised card spending more) shows it, and `recent_flagged`: the share of its recent
 * payments this detector flagged (an EWMA of 1 or 0 with the same `recentAlpha`), so a card that
 * made an unusual payment lately stays suspect for its next ones, even those only somewhat above its
 * baseline. The event is scored against the baseline BEFORE it is learnt.
 */
export const amountDeviationDetector = defineDetector<AmountDeviationParams>({
  meta: {
    name: 'amount_deviation',
    version: '1.0.0',
    description: 'Amount against a robust, per-customer moving baseline (winsorised EWMA of mean and deviation)',
    params: amountDeviationParams,
    requiredFields: (p) => [p.key, p.amountField],
    // A baseline is worth keeping for months of a customer's inactivity.
    stateTtl: () => 90 * 86_400_000,
  },
  create(context: DetectorContext, params: AmountDeviationParams): DetectorInstance {
    const baselines = context.store<number[]>(BASELINE_STORE);
    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        const amount = event.fields[params.amountField];
        if (keyValue === null || keyValue === undefined || typeof amount !== 'number' || amount < 0) return;
        const key = String(keyValue);
        const baseline = baselines.get(key);
        if (!baseline) {
          baselines.put(key, [1, amount, amount * PRIOR_CV, amount, 0]);
          context.signal('history', 0);
          return;
        }
        const [count, mean, deviation] = baseline as [number, number, number];
        // State written before `recent` or `recent_flagged` existed is shorter: recent starts at the baseline, none flagged.
        const recent = baseline[3] ?? mean;
        const flagged = baseline[4] ?? 0;
        const nextRecent = recent + params.recentAlpha * (amount - recent);
        const spread = Math.max(deviation * MAD_TO_SIGMA, mean * MIN_DEVIATION_SHARE, 0.01);
        const ratio = amount / Math.max(mean, 0.01);
        const z = (amount - mean) / spread;
        context.signal('history', count);
        const scored = count >= params.minHistory;
        if (scored) {
          context.signal('ratio', ratio);
          context.signal('z', z);
          context.signal('mean', mean);
          context.signal('recent', recent);
          context.signal('recent_flagged', flagged);
        }
        const fires = scored && ratio >= params.ratioAbove && z >= params.zAbove;
        if (fires) {
          context.emit({
            entity: event.key,
            severity: params.severity,
            kind: 'amount.deviation',
            title: `${amount.toFixed(2)} is ${ratio.toFixed(1)}× the usual ${mean.toFixed(2)} for ${params.key} ${key}`,
            score: Math.min(1, z / (2 * params.zAbove)),
            windowStart: event.time,
            windowEnd: event.time,
            values: { amount, baseline_mean: round2(mean), baseline_deviation: round2(deviation), ratio: round2(ratio), z: round2(z), history: count },
            thresholds: { ratio: params.ratioAbove, z: params.zAbove },
            eventIds: [event.id],
          });
          // What fired is not learnt; only the count moves, so the key keeps its history.
          learn(key, baseline, count + 1, mean, deviation, nextRecent, flagged + params.recentAlpha * (1 - flagged));
          return;
        }
        // Early on the plain average (1/n) learns faster than alpha; winsorising needs a baseline.
        const weight = Math.max(params.alpha, 1 / (count + 1));
        const learnt = count >= params.minHistory ? Math.min(amount, mean + params.clip * spread) : amount;
        const nextMean = mean + weight * (learnt - mean);
        const nextDeviation = deviation + weight * (Math.abs(learnt - mean) - deviation);
        learn(key, baseline, count + 1, nextMean, nextDeviation, nextRecent, flagged * (1 - params.recentAlpha));
      },
    };

    /** Updates the key's baseline in place (an array per payment would be garbage at a million payments). */
    function learn(key: string, baseline: number[], count: number, mean: number, deviation: number, recent: number, flagged: number): void {
      baseline[0] = count;
      baseline[1] = mean;
      baseline[2] = deviation;
      baseline[3] = recent;
      baseline[4] = flagged;
      baselines.put(key, baseline);
    }
  },
});

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
