import { boostedLogit, fitBoostedTrees, type BoostedTreesParams } from '../../../backtest/fit/boosted-trees.js';
import { auroc } from '../utility/auroc.js';
import { bestThreshold } from './alert-threshold.js';
import { BOOSTED_FEATURE_NAMES } from './boosted-features.js';
import { rowsOf, type HourTable } from './hour-table.js';
import type { BoostedSepsisModel } from './sepsis-model.js';

export interface BoostedSepsisFit {
  readonly model: BoostedSepsisModel;
  /** Out-of-fold (5 folds by patient) normalised utility at the chosen threshold, and AUROC, on the fitting half. */
  readonly outOfFold: { readonly utility: number; readonly auroc: number };
}

/**
 * Chosen on out-of-fold results within the fitting half (depth 2–4, rate, rounds, leaf weight and
 * penalty, subsampling tried; see docs/health-scoring.md). Shallow, slow and few trees with large
 * leaves: about 140 septic patients fit it, and deeper or longer boosting learns them one by one.
 */
export const BOOSTED_SEPSIS_PARAMS: BoostedTreesParams = {
  rounds: 100,
  learningRate: 0.05,
  maxDepth: 3,
  minChildWeight: 50,
  lambda: 10,
  bins: 64,
  subsample: 0.5,
  seed: 1,
};

const FOLDS = 5;

/**
 * Fits the boosted-tree sepsis score on the fitting half only (a table of BOOSTED_FEATURES). As for
 * the logistic score, the alert threshold maximises the normalised utility of out-of-fold
 * probabilities (five folds by patient, i mod 5), and the final trees use the whole half.
 */
export function fitBoostedSepsis(table: HourTable, params: BoostedTreesParams = BOOSTED_SEPSIS_PARAMS): BoostedSepsisFit {
  const { dims, rows, labels, patients } = table;
  if (dims !== BOOSTED_FEATURE_NAMES.length) throw new RangeError(`table: expected the ${BOOSTED_FEATURE_NAMES.length} boosted-tree inputs, got ${dims}`);
  const oof = new Float64Array(labels.length);
  for (let k = 0; k < FOLDS; k++) {
    const { x, y } = rowsOf(
      table,
      patients.filter((_, i) => i % FOLDS !== k),
    );
    const partial = fitBoostedTrees(x, y, dims, params);
    patients.forEach((p, i) => {
      if (i % FOLDS === k) for (let r = p.from; r < p.to; r++) oof[r] = sigmoid(boostedLogit(partial, rows.subarray(r * dims, (r + 1) * dims)));
    });
  }
  const { threshold, utility } = bestThreshold(oof, labels, patients);
  const fitted = fitBoostedTrees(rows, labels, dims, params);
  const model: BoostedSepsisModel = {
    model: 'vigil-sepsis-boosted-trees',
    version: 1,
    base: Number(fitted.base.toPrecision(8)),
    threshold: Number(threshold.toPrecision(8)),
    inputs: BOOSTED_FEATURE_NAMES,
    trees: fitted.trees,
    fitted: {
      on: 'fitting half (hash of patient_id)',
      patients: patients.length,
      hours: labels.length,
      sepsisHours: labels.reduce((a, b) => a + b, 0),
      ...params,
      thresholdFrom: `out-of-fold normalised utility, ${FOLDS} folds by patient`,
    },
  };
  return { model, outOfFold: { utility, auroc: auroc(labels, oof) } };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
