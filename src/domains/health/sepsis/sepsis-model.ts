import { boostedContributions, boostedLogit, type RegressionTree } from '../../../backtest/fit/boosted-trees.js';
import { VigilError } from '../../../errors/vigil-error.js';
import { BOOSTED_FEATURES, BOOSTED_FEATURE_NAMES } from './boosted-features.js';
import { SEPSIS_FEATURES, SEPSIS_FEATURE_NAMES, type SepsisFeature } from './sepsis-features.js';

/**
 * The fitted sepsis score as plain numbers (what `vigil fit-sepsis` writes and a template holds):
 * P(sepsis label) = σ(bias + Σ weight·input), alert when the probability is at least `threshold`.
 * `mean` is each input's mean on the fitting half, the reference its contribution is measured from.
 */
export interface LogisticSepsisModel {
  readonly model: 'vigil-sepsis-logistic';
  readonly version: 1;
  readonly bias: number;
  readonly threshold: number;
  readonly inputs: readonly { readonly name: string; readonly weight: number; readonly mean: number }[];
  readonly fitted?: Readonly<Record<string, unknown>>;
}

/**
 * The boosted-tree sepsis score (`vigil fit-sepsis --model boosted-trees`): P = σ(base + Σ tree
 * leaf values) over BOOSTED_FEATURES (`inputs` names them, in order), alert at `threshold`.
 */
export interface BoostedSepsisModel {
  readonly model: 'vigil-sepsis-boosted-trees';
  readonly version: 1;
  readonly base: number;
  readonly threshold: number;
  readonly inputs: readonly string[];
  readonly trees: readonly RegressionTree[];
  readonly fitted?: Readonly<Record<string, unknown>>;
}

export type SepsisModel = LogisticSepsisModel | BoostedSepsisModel;

export interface SepsisScore {
  readonly probability: number;
  readonly alert: boolean;
}

/** The inputs a model reads, in its order (the logistic model's when there is none). */
export function sepsisInputs(model: SepsisModel | undefined): readonly SepsisFeature[] {
  return model?.model === 'vigil-sepsis-boosted-trees' ? BOOSTED_FEATURES : SEPSIS_FEATURES;
}

/** Checks a parsed model file against the inputs this code computes, in order. */
export function validateSepsisModel(value: unknown, source: string): SepsisModel {
  const fail = (what: string) => new VigilError('VIGIL_TEMPLATE_INVALID', `${source}: ${what}`);
  const m = value as Partial<LogisticSepsisModel> | Partial<BoostedSepsisModel> | null;
  const kinds = ['vigil-sepsis-logistic', 'vigil-sepsis-boosted-trees'];
  if (typeof m !== 'object' || m === null || !kinds.includes(m.model as string) || m.version !== 1)
    throw fail('expected model: vigil-sepsis-logistic or vigil-sepsis-boosted-trees, version: 1');
  if (!Number.isFinite(m.threshold) || m.threshold! <= 0 || m.threshold! >= 1) throw fail('threshold: expected a probability in (0, 1)');
  if (!Array.isArray(m.inputs)) throw fail('inputs: expected a list');
  const boosted = m.model === 'vigil-sepsis-boosted-trees';
  const expected = boosted ? BOOSTED_FEATURE_NAMES : SEPSIS_FEATURE_NAMES;
  const names: unknown[] = boosted ? m.inputs : (m.inputs as LogisticSepsisModel['inputs']).map((i) => i.name);
  if (names.join() !== expected.join()) {
    const unknown = names.filter((n) => !expected.includes(n as string));
    const absent = expected.filter((n) => !names.includes(n));
    throw fail(`inputs: must be this code's inputs in order${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`);
  }
  if (boosted) validateTrees(m as Partial<BoostedSepsisModel>, expected.length, fail);
  else {
    const logistic = m as Partial<LogisticSepsisModel>;
    if (!Number.isFinite(logistic.bias)) throw fail('bias: expected a number');
    logistic.inputs!.forEach((input, j) => {
      if (!Number.isFinite(input.weight) || !Number.isFinite(input.mean)) throw fail(`inputs[${j}] (${input.name}): weight and mean must be numbers`);
    });
  }
  return m as SepsisModel;
}

/** Every tree well formed: equal-length node arrays, inputs in range, children after their parent, finite numbers. */
function validateTrees(m: Partial<BoostedSepsisModel>, dims: number, fail: (what: string) => Error): void {
  if (!Number.isFinite(m.base)) throw fail('base: expected a number');
  if (!Array.isArray(m.trees) || m.trees.length === 0) throw fail('trees: expected a non-empty list');
  m.trees.forEach((tree, t) => {
    const arrays = [tree?.feature, tree?.threshold, tree?.left, tree?.right, tree?.value];
    const nodes = tree?.feature?.length ?? 0;
    if (nodes === 0 || arrays.some((a) => !Array.isArray(a) || a.length !== nodes)) throw fail(`trees[${t}]: expected feature, threshold, left, right and value lists of one length`);
    for (let i = 0; i < nodes; i++) {
      const f = tree.feature[i]!;
      if (!Number.isFinite(tree.value[i])) throw fail(`trees[${t}] node ${i}: value must be a number`);
      if (f === -1) continue;
      const child = (c: number) => Number.isInteger(c) && c > i && c < nodes;
      if (!Number.isInteger(f) || f < 0 || f >= dims || !Number.isFinite(tree.threshold[i]) || !child(tree.left[i]!) || !child(tree.right[i]!))
        throw fail(`trees[${t}] node ${i}: expected an input index below ${dims}, a numeric threshold and children after it`);
    }
  });
}

export function sepsisLogit(model: SepsisModel, x: ArrayLike<number>): number {
  if (model.model === 'vigil-sepsis-boosted-trees') return boostedLogit(model, x);
  let z = model.bias;
  for (let j = 0; j < model.inputs.length; j++) z += model.inputs[j]!.weight * x[j]!;
  return z;
}

export function scoreSepsis(model: SepsisModel, x: ArrayLike<number>): SepsisScore {
  const probability = 1 / (1 + Math.exp(-sepsisLogit(model, x)));
  return { probability, alert: probability >= model.threshold };
}

/**
 * Why the score is what it is: each input's contribution to the log-odds, largest first. For the
 * logistic model weight·(input − its fitting mean); for boosted trees the change of node value at
 * each split on the input along this hour's paths. Either way they add up to this hour's log-odds
 * minus those of an average hour of the fitting half.
 */
export function explainSepsis(model: SepsisModel, x: ArrayLike<number>, top = 5): { name: string; value: number; contribution: number }[] {
  const explained =
    model.model === 'vigil-sepsis-boosted-trees'
      ? Array.from(boostedContributions(model, x, model.inputs.length), (contribution, j) => ({ name: model.inputs[j]!, value: x[j]!, contribution }))
      : model.inputs.map((input, j) => ({ name: input.name, value: x[j]!, contribution: input.weight * (x[j]! - input.mean) }));
  return explained.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, top);
}
