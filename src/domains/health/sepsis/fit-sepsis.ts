import { fitLogistic } from '../../../backtest/fit/logistic-regression.js';
import { auroc } from '../utility/auroc.js';
import { bestThreshold } from './alert-threshold.js';
import { rowsOf, type HourTable } from './hour-table.js';
import { SEPSIS_FEATURE_NAMES } from './sepsis-features.js';
import { sepsisLogit, type LogisticSepsisModel } from './sepsis-model.js';

export interface SepsisFit {
  readonly model: LogisticSepsisModel;
  /** Out-of-fold (5 folds by patient) normalised utility at the chosen threshold, and AUROC, on the fitting half. */
  readonly outOfFold: { readonly utility: number; readonly auroc: number };
  readonly logLoss: number;
  readonly iterations: number;
}

/** Chosen on out-of-fold results within the fitting half (3e-4 .. 0.1 tried); see docs/health-scoring.md. */
const L2 = 3e-3;

/**
 * Folds by patient for the out-of-fold scores: with five, each fold's weights see 80 % of the
 * fitting half, close to the final fit on all of it, so the threshold they pick suits the final weights.
 */
const FOLDS = 5;

/**
 * Fits the sepsis score on the fitting half only: logistic regression of SepsisLabel on the hour's
 * inputs (fitLogistic, as finance's risk score). The alert threshold maximises the normalised
 * utility of out-of-fold probabilities (five folds by patient within the fitting half), so it is
 * chosen on hours the weights did not see; the final weights then use the whole half.
 */
export function fitSepsis(table: HourTable): SepsisFit {
  const { dims, rows, labels, patients } = table;
  const fold = (i: number) => i % FOLDS;
  const oof = new Float64Array(labels.length);
  for (let k = 0; k < FOLDS; k++) {
    const train = patients.filter((_, i) => fold(i) !== k);
    const test = patients.filter((_, i) => fold(i) === k);
    const { x, y } = rowsOf(table, train);
    const m = fitLogistic(x, y, dims, L2);
    const partial = toModel(m.bias, m.weights, new Float64Array(dims), 0.5);
    for (const p of test) for (let i = p.from; i < p.to; i++) oof[i] = sigmoid(sepsisLogit(partial, rows.subarray(i * dims, (i + 1) * dims)));
  }
  const { threshold, utility } = bestThreshold(oof, labels, patients);
  const fitted = fitLogistic(rows, labels, dims, L2);
  const means = new Float64Array(dims);
  for (let i = 0; i < labels.length; i++) for (let j = 0; j < dims; j++) means[j]! += rows[i * dims + j]! / labels.length;
  const model = toModel(fitted.bias, fitted.weights, means, threshold, {
    on: 'fitting half (hash of patient_id)',
    patients: patients.length,
    hours: labels.length,
    sepsisHours: labels.reduce((a, b) => a + b, 0),
    l2: L2,
    thresholdFrom: `out-of-fold normalised utility, ${FOLDS} folds by patient`,
  });
  return { model, outOfFold: { utility, auroc: auroc(labels, oof) }, logLoss: fitted.logLoss, iterations: fitted.iterations };
}

function toModel(bias: number, weights: readonly number[], means: Float64Array, threshold: number, fitted?: Record<string, unknown>): LogisticSepsisModel {
  return {
    model: 'vigil-sepsis-logistic',
    version: 1,
    bias: round(bias),
    threshold: round(threshold),
    inputs: SEPSIS_FEATURE_NAMES.map((name, j) => ({ name, weight: round(weights[j]!), mean: round(means[j]!) })),
    ...(fitted === undefined ? {} : { fitted }),
  };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Eight significant digits: plain numbers a template can hold, far below any effect on the score. */
function round(n: number): number {
  return Number(n.toPrecision(8));
}
