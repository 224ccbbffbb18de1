import { VigilError } from '../../../errors/vigil-error.js';
import { SEPSIS_FEATURE_NAMES } from './sepsis-features.js';

/**
 * The fitted sepsis score as plain numbers (what `vigil fit-sepsis` writes and a template holds):
 * P(sepsis label) = σ(bias + Σ weight·input), alert when the probability is at least `threshold`.
 * `mean` is each input's mean on the fitting half, the reference its contribution is measured from.
 */
export interface SepsisModel {
  readonly model: 'vigil-sepsis-logistic';
  readonly version: 1;
  readonly bias: number;
  readonly threshold: number;
  readonly inputs: readonly { readonly name: string; readonly weight: number; readonly mean: number }[];
  readonly fitted?: Readonly<Record<string, unknown>>;
}

export interface SepsisScore {
  readonly probability: number;
  readonly alert: boolean;
}

/** Checks a parsed model file against the inputs this code computes, in order. */
export function validateSepsisModel(value: unknown, source: string): SepsisModel {
  const fail = (what: string) => new VigilError('VIGIL_TEMPLATE_INVALID', `${source}: ${what}`);
  const m = value as Partial<SepsisModel> | null;
  if (typeof m !== 'object' || m === null || m.model !== 'vigil-sepsis-logistic' || m.version !== 1) throw fail('expected model: vigil-sepsis-logistic, version: 1');
  if (!Number.isFinite(m.bias)) throw fail('bias: expected a number');
  if (!Number.isFinite(m.threshold) || m.threshold! <= 0 || m.threshold! >= 1) throw fail('threshold: expected a probability in (0, 1)');
  if (!Array.isArray(m.inputs)) throw fail('inputs: expected a list');
  const names = m.inputs.map((i) => i.name);
  if (names.join() !== SEPSIS_FEATURE_NAMES.join()) {
    const unknown = names.filter((n) => !SEPSIS_FEATURE_NAMES.includes(n));
    const absent = SEPSIS_FEATURE_NAMES.filter((n) => !names.includes(n));
    throw fail(`inputs: must be this code's inputs in order${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`);
  }
  m.inputs.forEach((input, j) => {
    if (!Number.isFinite(input.weight) || !Number.isFinite(input.mean)) throw fail(`inputs[${j}] (${input.name}): weight and mean must be numbers`);
  });
  return m as SepsisModel;
}

export function sepsisLogit(model: SepsisModel, x: ArrayLike<number>): number {
  let z = model.bias;
  for (let j = 0; j < model.inputs.length; j++) z += model.inputs[j]!.weight * x[j]!;
  return z;
}

export function scoreSepsis(model: SepsisModel, x: ArrayLike<number>): SepsisScore {
  const probability = 1 / (1 + Math.exp(-sepsisLogit(model, x)));
  return { probability, alert: probability >= model.threshold };
}

/**
 * Why the score is what it is: each input's contribution to the log-odds, weight·(input − its
 * fitting mean), largest first. They add up to this hour's log-odds minus those of an average hour.
 */
export function explainSepsis(model: SepsisModel, x: ArrayLike<number>, top = 5): { name: string; value: number; contribution: number }[] {
  return model.inputs
    .map((input, j) => ({ name: input.name, value: x[j]!, contribution: input.weight * (x[j]! - input.mean) }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top);
}
