import { auroc } from '../../domains/health/utility/auroc.js';
import { boostedContributions, boostedLogit, fitBoostedTrees, quantileCuts, type BoostedTrees, type BoostedTreesParams } from './boosted-trees.js';

/** Deterministic uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const PARAMS: BoostedTreesParams = { rounds: 60, learningRate: 0.3, maxDepth: 2, minChildWeight: 1, lambda: 1, bins: 32, subsample: 1, seed: 1 };

/** Two uniform inputs; the label is their XOR (x0 > 0.5 ≠ x1 > 0.5), which no linear score separates. */
function xorData(n: number, seed: number): { rows: Float64Array; labels: Uint8Array } {
  const random = lcg(seed);
  const rows = new Float64Array(n * 2);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    rows[2 * i] = random();
    rows[2 * i + 1] = random();
    labels[i] = rows[2 * i]! > 0.5 !== rows[2 * i + 1]! > 0.5 ? 1 : 0;
  }
  return { rows, labels };
}

describe('fitBoostedTrees', () => {
  it("gives one tree's leaves the second-order step −G / (H + λ) of XGBoost", () => {
    // x = 0: labels 0, 0, 1; x = 1: 1, 1, 0. Prior 1/2, so every p = 1/2, gradient p − y, hessian 1/4.
    // Left: G = 3·½ − 1 = ½, H = ¾; right: G = −½, H = ¾.
    const rows = Float64Array.from([0, 0, 0, 1, 1, 1]);
    const labels = Uint8Array.from([0, 0, 1, 1, 1, 0]);
    const fit = (lambda: number) => fitBoostedTrees(rows, labels, 1, { ...PARAMS, rounds: 1, learningRate: 1, maxDepth: 1, minChildWeight: 0, lambda });
    const plain = fit(0);
    expect(plain.base).toBe(0);
    expect(plain.trees[0]!.threshold[0]).toBe(0);
    expect(boostedLogit(plain, [0])).toBeCloseTo(-2 / 3, 7);
    expect(boostedLogit(plain, [1])).toBeCloseTo(2 / 3, 7);
    expect(boostedLogit(fit(1), [0])).toBeCloseTo(-0.5 / 1.75, 7);
  });

  it('learns an interaction a linear score cannot, and ranks new rows by it', () => {
    const train = xorData(4000, 3);
    const model = fitBoostedTrees(train.rows, train.labels, 2, PARAMS);
    const test = xorData(2000, 11);
    const scores = Array.from({ length: 2000 }, (_, i) => boostedLogit(model, test.rows.subarray(2 * i, 2 * i + 2)));
    // A linear score on XOR ranks at about 0.5; the trees' cuts at 0.5 are found within one bin.
    expect(auroc(test.labels, scores)).toBeGreaterThan(0.97);
  });

  it('sends a value equal to a threshold left, as the binned fit did', () => {
    const train = xorData(2000, 5);
    const model = fitBoostedTrees(train.rows, train.labels, 2, { ...PARAMS, rounds: 1, maxDepth: 1 });
    const tree = model.trees[0]!;
    const f = tree.feature[0]!;
    const at = [0.25, 0.25];
    at[f] = tree.threshold[0]!;
    expect(boostedLogit(model, at)).toBe(model.base + tree.value[tree.left[0]!]!);
    at[f] = tree.threshold[0]! + 1e-12;
    expect(boostedLogit(model, at)).toBe(model.base + tree.value[tree.right[0]!]!);
  });

  it('is reproducible for a seed and scores the same from its JSON copy', () => {
    const { rows, labels } = xorData(1500, 7);
    const params = { ...PARAMS, rounds: 10, subsample: 0.7 };
    const a = fitBoostedTrees(rows, labels, 2, params);
    const b = fitBoostedTrees(rows, labels, 2, params);
    expect(b).toEqual(a);
    const copy = JSON.parse(JSON.stringify(a)) as BoostedTrees;
    for (let i = 0; i < 100; i++) expect(boostedLogit(copy, rows.subarray(2 * i, 2 * i + 2))).toBe(boostedLogit(a, rows.subarray(2 * i, 2 * i + 2)));
  });

  it("splits a row's log-odds into per-input shares that add up exactly", () => {
    const { rows, labels } = xorData(1500, 9);
    const model = fitBoostedTrees(rows, labels, 2, { ...PARAMS, rounds: 20, maxDepth: 3 });
    const roots = model.trees.reduce((s, t) => s + t.value[0]!, 0);
    for (let i = 0; i < 20; i++) {
      const x = rows.subarray(2 * i, 2 * i + 2);
      const shares = boostedContributions(model, x, 2);
      expect(shares[0]! + shares[1]!).toBeCloseTo(boostedLogit(model, x) - model.base - roots, 9);
    }
  });

  it('rejects inputs that are not finite', () => {
    expect(() => fitBoostedTrees(Float64Array.from([0, NaN]), Uint8Array.from([0, 1]), 1, PARAMS)).toThrow('rows: value 1 (row 1, input 0) is not finite');
  });
});

describe('quantileCuts', () => {
  it('cuts at distinct quantiles and never at the largest value', () => {
    const rows = Float64Array.from([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]);
    expect(Array.from(quantileCuts(rows, 10, 1, 4)[0]!)).toEqual([0, 1]);
    expect(Array.from(quantileCuts(Float64Array.from([5, 5, 5]), 3, 1, 8)[0]!)).toEqual([]);
  });
});
