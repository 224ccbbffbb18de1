import { normalisedUtility } from '../utility/normalised-utility.js';

interface PatientRange {
  readonly from: number;
  readonly to: number;
}

/** Normalised utility of alerting wherever `scores` ≥ `threshold`. */
export function utilityAt(scores: ArrayLike<number>, labels: Uint8Array, patients: readonly PatientRange[], threshold: number): number {
  return normalisedUtility(
    patients.map(({ from, to }) => {
      const predictions = new Uint8Array(to - from);
      for (let i = from; i < to; i++) predictions[i - from] = scores[i]! >= threshold ? 1 : 0;
      return { labels: labels.subarray(from, to), predictions };
    }),
  ).normalised;
}

/** Candidate alert rates: alerting on the top 50 % .. 0.1 % of hours, finer at the top. */
const QUANTILES = [...Array.from({ length: 50 }, (_, k) => 0.5 + k * 0.01), ...Array.from({ length: 9 }, (_, k) => 0.991 + k * 0.001)];

/** The candidate threshold (a quantile of `scores`) with the highest normalised utility. */
export function bestThreshold(scores: ArrayLike<number>, labels: Uint8Array, patients: readonly PatientRange[]): { threshold: number; utility: number } {
  const sorted = Float64Array.from(scores).sort();
  let best = { threshold: NaN, utility: -Infinity };
  for (const q of QUANTILES) {
    const threshold = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const utility = utilityAt(scores, labels, patients, threshold);
    if (utility > best.utility) best = { threshold, utility };
  }
  return best;
}
