import { fitLogistic, type LogisticModel } from '../../../../backtest/fit/logistic-regression.js';
import { Outcomes } from '../../../../backtest/outcomes.js';
import { BASELINE_FEATURES, BaselineFeatures } from './baseline-features.js';
import type { TransactionTable } from './transaction-table.js';

const DAY = 86_400_000;
/** The Handbook's get_train_test_set: delta_train = delta_delay = delta_test = 7 days. */
export const TRAIN_DAYS = 7;
export const DELAY_DAYS = 7;

export interface BaselineOptions {
  /** First test day (UTC midnight); the test period ends at `testTo`. */
  readonly testFrom: number;
  readonly testTo: number;
  /** Default: the Handbook's, testFrom − delay − 7 days. */
  readonly trainFrom?: number;
}

export interface BaselineRun {
  /** Scores of every transaction from the training week to the end of the test period. */
  readonly outcomes: Outcomes;
  readonly model: LogisticModel;
  readonly trainFrom: number;
  readonly train: { readonly events: number; readonly frauds: number };
  readonly elapsedMs: number;
}

/**
 * The Fraud Detection Handbook's logistic-regression baseline (chapter 3, "Baseline fraud detection
 * system"), reproduced: trained on the 7 days from `start_date_training` with the 15 baseline
 * features, scored on the test days that follow a 7-day delay. The Handbook scales with
 * StandardScaler fitted on the training rows and fits sklearn's LogisticRegression(random_state=0),
 * whose defaults minimise Σ log-loss + ½‖w‖² (C = 1, intercept not penalised) on the scaled inputs.
 * fitLogistic scales the same way (population standard deviation) and penalises
 * (l2 · n / 2)‖w‖² on the scaled weights, so l2 = 1/n is that objective exactly; it is solved to
 * convergence by Newton's method, where sklearn's lbfgs stops at its tolerance (tol 1e-4,
 * max_iter 100).
 *
 * Which test transactions count (cards known compromised are removed) and the metrics are left to
 * handbookProtocol, the code that scores Vigil, on the returned outcomes: they hold the training and
 * delay weeks too, whose labels say which cards are known.
 */
export function handbookBaseline(table: TransactionTable, options: BaselineOptions): BaselineRun {
  const started = performance.now();
  const trainFrom = options.trainFrom ?? options.testFrom - (DELAY_DAYS + TRAIN_DAYS) * DAY;
  const trainTo = trainFrom + TRAIN_DAYS * DAY;
  const features = new BaselineFeatures(table);
  const dims = BASELINE_FEATURES.length;

  const trainRows = rowsBetween(table, trainFrom, trainTo);
  if (trainRows.length === 0) throw new RangeError(`no transactions to train on from ${new Date(trainFrom).toISOString()}`);
  const labels = Uint8Array.from(trainRows, (row) => table.fraud[row]!);
  const model = fitLogistic(features.of(trainRows), labels, dims, 1 / trainRows.length, 100);

  // The outcomes reach back to where known-compromised.ts looks for labels.
  const outcomesFrom = Math.min(trainFrom, options.testFrom - (DELAY_DAYS + TRAIN_DAYS) * DAY);
  const scored = rowsBetween(table, outcomesFrom, options.testTo);
  const x = features.of(scored);
  const outcomes = new Outcomes([]);
  scored.forEach((row, r) => {
    let z = model.bias;
    for (let j = 0; j < dims; j++) z += model.weights[j]! * x[r * dims + j]!;
    // predict_proba, as the Handbook ranks by it: probabilities that round to the same double tie.
    const score = 1 / (1 + Math.exp(-z));
    outcomes.add(table.time[row]!, score, table.fraud[row]!, outcomes.cardOf(table.customers[table.customer[row]!]!), 0, 0);
  });
  return {
    outcomes,
    model,
    trainFrom,
    train: { events: trainRows.length, frauds: labels.reduce((sum, y) => sum + y, 0) },
    elapsedMs: performance.now() - started,
  };
}

function rowsBetween(table: TransactionTable, from: number, to: number): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < table.size; i++) {
    const t = table.time[i]!;
    if (t >= from && t < to) rows.push(i);
  }
  return Int32Array.from(rows);
}
