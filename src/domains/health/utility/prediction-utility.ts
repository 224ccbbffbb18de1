/**
 * The PhysioNet/CinC Challenge 2019 utility (evaluate_sepsis_score.py, compute_prediction_utility),
 * ported line for line. Times are row indices of one patient's hourly rows; `SepsisLabel` is 1 from
 * 6 h before onset, so onset t_sepsis = first positive row − dt_optimal.
 */
export interface UtilityParams {
  readonly dtEarly: number;
  readonly dtOptimal: number;
  readonly dtLate: number;
  readonly maxUTp: number;
  readonly minUFn: number;
  readonly uFp: number;
  readonly uTn: number;
}

export const CHALLENGE_2019: UtilityParams = { dtEarly: -12, dtOptimal: -6, dtLate: 3, maxUTp: 1, minUFn: -2, uFp: -0.05, uTn: 0 };

type Binary = ArrayLike<number>;

/** The total utility of one patient's 0|1 predictions against its 0|1 labels. */
export function computePredictionUtility(labels: Binary, predictions: Binary, p: UtilityParams = CHALLENGE_2019): number {
  if (labels.length !== predictions.length) throw new RangeError('Numbers of predictions and labels must be the same.');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError('Labels must satisfy label == 0 or label == 1.');
    if (predictions[i] !== 0 && predictions[i] !== 1) throw new RangeError('Predictions must satisfy prediction == 0 or prediction == 1.');
  }
  if (p.dtEarly >= p.dtOptimal) throw new RangeError('The earliest beneficial time for predictions must be before the optimal time.');
  if (p.dtOptimal >= p.dtLate) throw new RangeError('The optimal time for predictions must be before the latest beneficial time.');

  const first = firstPositive(labels);
  const isSeptic = first >= 0;
  const tSepsis = isSeptic ? first - p.dtOptimal : Infinity;

  // Lines u = m·t + b: rising reward before the optimal time, falling after it, and the missed-case penalty.
  const m1 = p.maxUTp / (p.dtOptimal - p.dtEarly);
  const b1 = -m1 * p.dtEarly;
  const m2 = -p.maxUTp / (p.dtLate - p.dtOptimal);
  const b2 = -m2 * p.dtLate;
  const m3 = p.minUFn / (p.dtLate - p.dtOptimal);
  const b3 = -m3 * p.dtOptimal;

  let total = 0;
  for (let t = 0; t < labels.length; t++) {
    if (t > tSepsis + p.dtLate) continue;
    const predicted = predictions[t] === 1;
    let u = 0;
    if (isSeptic && predicted) {
      if (t <= tSepsis + p.dtOptimal) u = Math.max(m1 * (t - tSepsis) + b1, p.uFp);
      else u = m2 * (t - tSepsis) + b2;
    } else if (!isSeptic && predicted) u = p.uFp;
    else if (isSeptic && !predicted) u = t <= tSepsis + p.dtOptimal ? 0 : m3 * (t - tSepsis) + b3;
    else u = p.uTn;
    total += u;
  }
  return total;
}

/** Index of the first 1, or −1 (numpy's argmax of a label vector that has a 1). */
export function firstPositive(labels: Binary): number {
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) return i;
  return -1;
}
