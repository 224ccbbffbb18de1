import { normalisedUtility, type PatientPredictions } from '../utility/normalised-utility.js';

/**
 * A 95 % percentile bootstrap interval of the normalised utility, resampling patients: with a
 * hundred or so septic patients per half the score moves a lot with which patients are in it.
 * Deterministic (a fixed-seed generator) so a report reproduces.
 */
export function utilityInterval(patients: readonly PatientPredictions[], resamples = 1000, seed = 2019): { low: number; high: number } {
  const parts = patients.map((p) => normalisedUtility([p]));
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let observed = 0;
    let best = 0;
    let inaction = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[Math.floor(random() * parts.length)]!;
      observed += p.observed;
      best += p.best;
      inaction += p.inaction;
    }
    values.push((observed - inaction) / (best - inaction));
  }
  values.sort((a, b) => a - b);
  return { low: values[Math.floor(0.025 * resamples)]!, high: values[Math.ceil(0.975 * resamples) - 1]! };
}
