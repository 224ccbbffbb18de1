import { averagePrecision, aucRoc } from './ranking.js';

function input(scores: number[], labels: number[]) {
  return { score: Float64Array.from(scores), fraud: Uint8Array.from(labels), indices: Int32Array.from(scores.keys()) };
}

describe('ranking metrics (scikit-learn definitions)', () => {
  it('AUC ROC: 1 for a perfect ranking, 0 for a reversed one, 0.5 when all scores tie', () => {
    expect(aucRoc(input([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]))).toBe(1);
    expect(aucRoc(input([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]))).toBe(0);
    expect(aucRoc(input([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]))).toBe(0.5);
  });

  it('AUC ROC counts a tie between a fraud and a genuine event as half', () => {
    // scikit-learn's documented example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
    expect(aucRoc(input([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]))).toBe(0.75);
    // Pairs (fraud, genuine) ranked right: 0.35 > 0.1; 0.8 > all three; 0.4 > 0.1 and ties two 0.4s: 6 of 9.
    expect(aucRoc(input([0.1, 0.4, 0.35, 0.8, 0.4, 0.4], [0, 0, 1, 1, 0, 1]))).toBeCloseTo(6 / 9, 10);
  });

  it('average precision matches average_precision_score, ties as one threshold', () => {
    // scikit-learn's documented example: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.83.
    expect(averagePrecision(input([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]))).toBeCloseTo(5 / 6, 10);
    // Thresholds 0.8 (P 1, R 1/3), 0.4 (three events, one fraud: P 2/4, R 2/3), 0.35 (P 3/5, R 1):
    // 1/3 · 1 + 1/3 · 1/2 + 1/3 · 3/5 = 0.7. Splitting the tie would give a different value.
    expect(averagePrecision(input([0.1, 0.4, 0.35, 0.8, 0.4, 0.4], [0, 0, 1, 1, 0, 1]))).toBeCloseTo(0.7, 10);
  });

  it('is undefined (NaN) with one class only, and scores only the selected events', () => {
    expect(aucRoc(input([0.1, 0.2], [0, 0]))).toBeNaN();
    expect(averagePrecision(input([0.1, 0.2], [0, 0]))).toBeNaN();
    const some = { ...input([0.9, 0.1, 0.8, 0.2], [0, 0, 1, 1]), indices: Int32Array.from([1, 2]) };
    expect(aucRoc(some)).toBe(1);
  });
});
