import { auroc } from './auroc.js';
import { normalisedUtility } from './normalised-utility.js';
import { computePredictionUtility } from './prediction-utility.js';

describe('Challenge 2019 prediction utility', () => {
  it("reproduces the Challenge's own example (evaluate_sepsis_score.py docstring): 3.388888888888889", () => {
    expect(computePredictionUtility([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 1])).toBeCloseTo(3.388888888888889, 12);
  });

  // Hand-computed from the definition: onset t_sepsis = first label + 6; a prediction at
  // t ≤ onset − 6 earns max((t − onset)/6 + 2, −0.05), later ones −(t − onset)/9 + 1/3 up to onset + 3;
  // a miss after onset − 6 costs −2/9·(t − onset) − 4/3; nothing counts after onset + 3.
  it.each([
    ['non-septic, two alarms', [0, 0, 0, 0], [0, 1, 1, 0], -0.1],
    ['non-septic, silent', [0, 0, 0], [0, 0, 0], 0],
    // first label at 0 → onset 6: alarms at 0..3 score 1, 1/6+... computed below
    ['septic, alarm 12 h+ early is a false positive floor', Array(20).fill(0).concat([1]), [1].concat(Array(20).fill(0)), -0.05],
    ['septic, silent: penalties from onset−5 to onset+3', [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Array(12).fill(0), -(2 / 9) * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9)],
    ['septic, alarm at the optimal time only', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1 - (2 / 9) * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9)],
  ])('%s', (_name, labels, predictions, expected) => expect(computePredictionUtility(labels, predictions)).toBeCloseTo(expected, 12));

  it('counts nothing after onset + 3 h', () => {
    const labels = Array(30).fill(1) as number[];
    const late = [...(Array(10).fill(0) as number[]), ...(Array(20).fill(1) as number[])];
    const atLate = [...(Array(9).fill(0) as number[]), ...(Array(21).fill(1) as number[])];
    // only the prediction at t = 9 (onset + 3: reward 0, instead of miss −2) differs
    expect(computePredictionUtility(labels, atLate) - computePredictionUtility(labels, late)).toBeCloseTo(2, 12);
  });

  it('rejects labels and predictions of different lengths or non-binary values', () => {
    expect(() => computePredictionUtility([0, 1], [0])).toThrow('Numbers of predictions and labels must be the same.');
    expect(() => computePredictionUtility([0, 1], [0, 0.5])).toThrow('Predictions must satisfy');
  });
});

describe('normalised utility', () => {
  const septic = { labels: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1], predictions: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1] };
  const clean = { labels: [0, 0, 0, 0, 0], predictions: [0, 0, 0, 0, 0] };

  it('is 1 for the best predictions and 0 for no alarms', () => {
    const labels = septic.labels;
    const onset = 8 + 6;
    const best = labels.map((_, t) => (t >= onset - 12 && t <= onset + 3 ? 1 : 0));
    expect(normalisedUtility([{ labels, predictions: best }, clean]).normalised).toBeCloseTo(1, 12);
    expect(normalisedUtility([{ labels, predictions: Array(12).fill(0) }, clean]).normalised).toBe(0);
  });

  it('normalises the summed utilities: (observed − inaction) / (best − inaction)', () => {
    const r = normalisedUtility([septic, clean]);
    expect(r.inaction).toBeCloseTo(computePredictionUtility(septic.labels, Array(12).fill(0)), 12);
    expect(r.normalised).toBeCloseTo((r.observed - r.inaction) / (r.best - r.inaction), 12);
    expect(r.worst).toBeLessThan(r.inaction);
  });
});

describe('AUROC', () => {
  it("matches the Challenge's compute_auc example: 1.0", () => {
    expect(auroc([0, 0, 0, 0, 1, 1], [0.3, 0.4, 0.6, 0.7, 0.8, 0.8])).toBe(1);
  });

  it('counts ties as one half and ranks any scale', () => {
    expect(auroc([0, 1], [5, 5])).toBe(0.5);
    expect(auroc([0, 1, 0, 1], [1, 2, 3, 4])).toBe(0.75);
    expect(auroc([1, 0], [1, 2])).toBe(0);
  });
});
