import { internalized } from '../../../../model/internalized.js';
import type { VigilEvent } from '../../../../model/records.js';
import type { SignalLookup } from '../../../../model/detector.js';
import { inputName, TRANSFORMS, type RiskInput } from './risk-score.params.js';

/**
 * A risk input in one fixed shape for the per-event loop: the schema's objects differ in shape
 * (optional `name`, `signal` or `field`, `cap`), which makes every property read there polymorphic.
 * Its source name is internalized (see internalized.ts): templates do that already, but a caller
 * may build params by hand.
 */
export interface CompiledRiskInput {
  /** Name of the contribution in findings. */
  readonly name: string;
  /** The published signal of this input's term: `contrib.<name>`. */
  readonly contribSignal: string;
  /** The signal (`<detector id>.<signal>`) or canonical field the raw value comes from. */
  readonly source: string;
  readonly fromField: boolean;
  readonly weight: number;
  /** Index into TRANSFORMS. */
  readonly transform: number;
  readonly at: number;
  /** Infinity when the input is not capped. */
  readonly cap: number;
  readonly missing: number;
}

const LINEAR = TRANSFORMS.indexOf('linear');
const LOG1P = TRANSFORMS.indexOf('log1p');
const HINGE = TRANSFORMS.indexOf('hinge');

export function compileRiskInput(input: RiskInput): CompiledRiskInput {
  const name = inputName(input);
  return {
    name,
    contribSignal: `contrib.${name}`,
    source: internalized(input.signal ?? input.field!),
    fromField: input.signal === undefined,
    weight: input.weight,
    transform: TRANSFORMS.indexOf(input.transform),
    at: input.at,
    cap: input.cap ?? Infinity,
    missing: input.missing,
  };
}

/** The input's value for one event, capped, or its `missing` value. */
export function rawValue(input: CompiledRiskInput, fields: VigilEvent['fields'], signals: SignalLookup): number {
  const value = input.fromField ? fields[input.source] : signals.get(input.source);
  if (typeof value !== 'number' || !Number.isFinite(value)) return input.missing;
  return Math.min(value, input.cap);
}

/** The input's term before its weight: linear x; log1p ln(1 + max(x, 0)); hinge max(0, x − at); indicator 1 when x ≥ at. */
export function transform(input: CompiledRiskInput, x: number): number {
  const kind = input.transform;
  if (kind === LINEAR) return x;
  if (kind === LOG1P) return Math.log1p(Math.max(x, 0));
  if (kind === HINGE) return Math.max(0, x - input.at);
  return x >= input.at ? 1 : 0;
}
