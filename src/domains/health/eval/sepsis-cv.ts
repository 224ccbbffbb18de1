import path from 'node:path';
import { parseArgs } from 'node:util';
import { fitBoostedTrees, mulberry32, priorLogOdds, treeLeaf, type BoostedTreesParams } from '../../../backtest/fit/boosted-trees.js';
import { fitLogistic } from '../../../backtest/fit/logistic-regression.js';
import { bestThreshold } from '../sepsis/alert-threshold.js';
import { readHourTable, rowsOf, type HourTable } from '../sepsis/hour-table.js';
import { SEPSIS_FEATURES, type SepsisFeature } from '../sepsis/sepsis-features.js';
import { BOOSTED_FEATURES } from '../sepsis/boosted-features.js';
import { TREND_FEATURES } from '../sepsis/trend-features.js';
import { auroc } from '../utility/auroc.js';

/**
 * Model choice for the sepsis score, on the FITTING half only (the evaluation half is never read):
 * out-of-fold probabilities from k folds by patient, each fold's model fitted on the others, then
 * the normalised utility at the best threshold of those probabilities and their AUROC. Compares
 * the logistic model with boosted trees on candidate input sets; for trees, one fit per fold scores
 * its held-out hours after every `--every` rounds, so the number of rounds is chosen here too.
 *
 *   node dist/domains/health/eval/sepsis-cv.js --model gbm --inputs boosted --depth 4 --rate 0.05 --rounds 400
 *
 * `--drop a,b` leaves those inputs out. `--split mod` puts patient i (file order) in fold i mod k, as `vigil fit-sepsis` does; `--split
 * <seed>` shuffles patients with that seed first (repeated splits for paired comparisons).
 */
const args = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'gbm' },
    inputs: { type: 'string', default: 'boosted' },
    folds: { type: 'string', default: '5' },
    split: { type: 'string', default: 'mod' },
    l2: { type: 'string', default: '3e-3' },
    depth: { type: 'string', default: '4' },
    rate: { type: 'string', default: '0.05' },
    rounds: { type: 'string', default: '400' },
    every: { type: 'string', default: '50' },
    'min-child': { type: 'string', default: '1' },
    lambda: { type: 'string', default: '1' },
    bins: { type: 'string', default: '64' },
    subsample: { type: 'string', default: '0.8' },
    drop: { type: 'string', default: '' },
  },
});
const v = args.values;
const DATA = path.resolve(args.positionals[0] ?? '../shared/data/vitals/physionet2019_setB_even_patients.csv.gz');
const INPUTS: Record<string, readonly SepsisFeature[]> = {
  logistic: SEPSIS_FEATURES,
  boosted: BOOSTED_FEATURES,
  'logistic+trends': [...SEPSIS_FEATURES, ...TREND_FEATURES],
};
const dropped = new Set(v.drop!.split(',').filter((d) => d !== ''));
const features = INPUTS[v.inputs!]?.filter((f) => !dropped.has(f.name));
if (features === undefined) throw new Error(`--inputs: one of ${Object.keys(INPUTS).join(', ')}`);
const folds = Number(v.folds);

const started = performance.now();
const table = await readHourTable(DATA, 'fit', features);
const foldOf = assignFolds(table.patients.length, folds, v.split!);
const log = (text: string) => process.stdout.write(`${text}\n`);
log(`fitting half: ${table.patients.length} patients, ${table.labels.length} hours, ${table.dims} inputs (${v.inputs}${dropped.size > 0 ? ` less ${[...dropped].join(', ')}` : ''}); read in ${secs(started)} s`);

if (v.model === 'logistic') {
  const oof = new Float64Array(table.labels.length);
  for (let k = 0; k < folds; k++) {
    const { x, y } = rowsOf(table, table.patients.filter((_, p) => foldOf[p] !== k));
    const m = fitLogistic(x, y, table.dims, Number(v.l2));
    forRows(table, foldOf, k, (i, row) => {
      let z = m.bias;
      for (let j = 0; j < table.dims; j++) z += m.weights[j]! * row[j]!;
      oof[i] = z;
    });
  }
  report(`logistic L2 ${v.l2}`, oof);
} else {
  const params: BoostedTreesParams = {
    rounds: Number(v.rounds),
    learningRate: Number(v.rate),
    maxDepth: Number(v.depth),
    minChildWeight: Number(v['min-child']),
    lambda: Number(v.lambda),
    bins: Number(v.bins),
    subsample: Number(v.subsample),
    seed: 1,
  };
  const every = Number(v.every);
  const checkpoints = Array.from({ length: Math.floor(params.rounds / every) }, (_, c) => (c + 1) * every);
  const oof = checkpoints.map(() => new Float64Array(table.labels.length));
  for (let k = 0; k < folds; k++) {
    const foldStart = performance.now();
    const { x, y } = rowsOf(table, table.patients.filter((_, p) => foldOf[p] !== k));
    const held: { i: number; row: Float64Array }[] = [];
    forRows(table, foldOf, k, (i, row) => held.push({ i, row }));
    const logits = new Float64Array(held.length);
    const base = priorLogOdds(y);
    fitBoostedTrees(x, y, table.dims, params, (tree, round) => {
      held.forEach(({ row }, h) => (logits[h]! += tree.value[treeLeaf(tree, row)]!));
      const c = checkpoints.indexOf(round);
      if (c >= 0) held.forEach(({ i }, h) => (oof[c]![i] = base + logits[h]!));
    });
    log(`  fold ${k + 1}/${folds}: ${secs(foldStart)} s`);
  }
  checkpoints.forEach((rounds, c) => report(`trees depth ${params.maxDepth} rate ${params.learningRate} rounds ${rounds} min-child ${params.minChildWeight} lambda ${params.lambda} bins ${params.bins} subsample ${params.subsample}`, oof[c]!));
}

function report(name: string, oof: Float64Array): void {
  const { threshold, utility } = bestThreshold(oof, table.labels, table.patients);
  log(`${name} [${v.inputs}, ${folds} folds, split ${v.split}]: OOF utility ${utility.toFixed(4)} AUROC ${auroc(table.labels, oof).toFixed(4)} (logit threshold ${threshold.toFixed(3)})`);
}

function assignFolds(patients: number, k: number, split: string): Int32Array {
  const order = Array.from({ length: patients }, (_, i) => i);
  if (split !== 'mod') {
    const random = mulberry32(Number(split));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const fold = new Int32Array(patients);
  order.forEach((p, rank) => (fold[p] = rank % k));
  return fold;
}

function forRows(t: HourTable, foldOf: Int32Array, k: number, visit: (i: number, row: Float64Array) => void): void {
  t.patients.forEach((p, index) => {
    if (foldOf[index] === k) for (let i = p.from; i < p.to; i++) visit(i, t.rows.subarray(i * t.dims, (i + 1) * t.dims));
  });
}

function secs(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
