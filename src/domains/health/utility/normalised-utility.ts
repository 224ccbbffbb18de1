import { CHALLENGE_2019, computePredictionUtility, firstPositive, type UtilityParams } from './prediction-utility.js';

export interface PatientPredictions {
  readonly labels: ArrayLike<number>;
  readonly predictions: ArrayLike<number>;
}

export interface NormalisedUtility {
  /** (observed − inaction) / (best − inaction): 1 is perfect, 0 is never alerting. */
  readonly normalised: number;
  readonly observed: number;
  readonly best: number;
  readonly worst: number;
  readonly inaction: number;
}

/**
 * The Challenge's cohort score (evaluate_sepsis_score.py): per patient the utility of the observed
 * predictions, of the best ones (1 exactly from onset + dt_early to onset + dt_late), of their
 * opposite (worst) and of no alarm at all (inaction), summed over the cohort and normalised.
 */
export function normalisedUtility(patients: Iterable<PatientPredictions>, p: UtilityParams = CHALLENGE_2019): NormalisedUtility {
  let observed = 0;
  let best = 0;
  let worst = 0;
  let inaction = 0;
  for (const { labels, predictions } of patients) {
    const n = labels.length;
    const bestPredictions = new Uint8Array(n);
    const first = firstPositive(labels);
    if (first >= 0) {
      const tSepsis = first - p.dtOptimal;
      bestPredictions.fill(1, Math.max(0, tSepsis + p.dtEarly), Math.max(0, Math.min(tSepsis + p.dtLate + 1, n)));
    }
    const worstPredictions = bestPredictions.map((b) => 1 - b);
    observed += computePredictionUtility(labels, predictions, p);
    best += computePredictionUtility(labels, bestPredictions, p);
    worst += computePredictionUtility(labels, worstPredictions, p);
    inaction += computePredictionUtility(labels, new Uint8Array(n), p);
  }
  return { normalised: (observed - inaction) / (best - inaction), observed, best, worst, inaction };
}
