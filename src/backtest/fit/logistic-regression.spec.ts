import { fitLogistic } from './logistic-regression.js';

/** Deterministic uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('fitLogistic', () => {
  it('recovers the coefficients data was drawn from', () => {
    const random = lcg(7);
    const n = 40_000;
    const truth = { bias: -2, weights: [1.5, -0.8] };
    const rows = new Float64Array(n * 2);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x0 = random() * 4 - 2;
      const x1 = random() * 10;
      rows[2 * i] = x0;
      rows[2 * i + 1] = x1;
      const p = 1 / (1 + Math.exp(-(truth.bias + truth.weights[0]! * x0 + truth.weights[1]! * x1)));
      labels[i] = random() < p ? 1 : 0;
    }
    const model = fitLogistic(rows, labels, 2, 0);
    // Sampling noise of 40k draws: within 0.15 of the truth (a wrong fit is off by far more).
    expect(Math.abs(model.bias - truth.bias)).toBeLessThan(0.15);
    expect(Math.abs(model.weights[0]! - truth.weights[0]!)).toBeLessThan(0.15);
    expect(Math.abs(model.weights[1]! - truth.weights[1]!)).toBeLessThan(0.15);
    expect(model.iterations).toBeLessThan(20);
  });

  it('stays finite on separable data thanks to the L2 penalty', () => {
    const rows = Float64Array.from([0, 1, 2, 3]);
    const labels = Uint8Array.from([0, 0, 1, 1]);
    const model = fitLogistic(rows, labels, 1, 1e-3);
    expect(Number.isFinite(model.weights[0])).toBe(true);
    expect(model.weights[0]).toBeGreaterThan(0);
  });

  it("with l2 = 1/n minimises scikit-learn's LogisticRegression(C=1) objective on StandardScaler-scaled inputs", () => {
    // The optimum of Σ log-loss + ½‖w‖² on StandardScaler().fit_transform(x) (Newton in numpy, gradient
    // 3e-16), brought back to the original scale (w / scale, b − Σ w·mean). sklearn 1.2's
    // LogisticRegression(C=1, tol=1e-12) stops within 1e-6 of it: 0.43849734, -0.19293845, -1.06345387.
    const x = [[0, 1], [1, 3], [2, 0], [3, 4], [4, 2], [5, 5], [6, 1], [7, 3]];
    const labels = Uint8Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    const model = fitLogistic(Float64Array.from(x.flat()), labels, 2, 1 / labels.length);
    expect(model.weights[0]).toBeCloseTo(0.43849811, 7);
    expect(model.weights[1]).toBeCloseTo(-0.19293865, 7);
    expect(model.bias).toBeCloseTo(-1.06345629, 7);
  });
});
