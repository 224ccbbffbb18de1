import { pearson, weightedF1 } from './classification-metrics.js';

describe('weightedF1', () => {
  it('weights each class F1 by its support (scikit-learn average="weighted")', () => {
    const truth = ['p', 'p', 'p', 'n', 'n', 'o'];
    const predicted = ['p', 'p', 'n', 'n', 'o', 'o'];
    // p: tp 2, fp 0, fn 1 → 0.8; n: tp 1, fp 1, fn 1 → 0.5; o: tp 1, fp 1, fn 0 → 2/3.
    expect(weightedF1(truth, predicted)).toBeCloseTo((0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6, 12);
  });

  it('is 1 for a perfect prediction and 0 for a fully wrong one', () => {
    expect(weightedF1(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(weightedF1(['a', 'a'], ['b', 'b'])).toBe(0);
  });
});

describe('pearson', () => {
  it('is 1, -1 and 0 where it must be', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });

  it('matches a hand computation', () => {
    // x̄ = 2, ȳ = 3; Σdxdy = 2, Σdx² = 2, Σdy² = 8 → 2 / √16.
    expect(pearson([1, 2, 3], [1, 5, 3])).toBeCloseTo(0.5, 12);
  });
});
