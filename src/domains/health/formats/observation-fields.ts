import { VigilError } from '../../../errors/vigil-error.js';
import type { FieldValue } from '../../../model/records.js';
import { implausibleReason } from '../vitals/plausibility.js';
import { toCanonicalUnit, type MeasuredParameter } from './canonical-units.js';

/**
 * The canonical observation every health format produces and the health detectors read: one
 * reading of one parameter of one patient. `value` is a number for the measured parameters,
 * 1|0 for `on_oxygen`, 1|2 for `spo2_scale`, and null for `consciousness`, whose ACVPU letter is
 * `value_text`. A blood-pressure panel is one event: `parameter` systolic_bp, `value` the
 * systolic, and the panel's diastolic in `diastolic_bp`. An SpO2 reading may carry the patient's
 * SpO2 scale in `spo2_scale` (1|2), as a FHIR extension sends it.
 */
export const OBSERVATION_PARAMETERS = ['resp_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'diastolic_bp', 'pulse', 'consciousness', 'temperature', 'spo2_scale'] as const;
export type ObservationParameter = (typeof OBSERVATION_PARAMETERS)[number];

export const OBSERVATION_SOURCES = ['monitor', 'manual'] as const;

export const ACVPU = ['A', 'C', 'V', 'P', 'U'] as const;

/**
 * Checks and completes the typed canonical fields in place: the parameter is known, the value
 * fits it (converted to the canonical unit, within plausibility), the source is one of the two.
 * Throws VIGIL_EVENT_SCHEMA with the dead-letter reason otherwise. Idempotent, so a format whose
 * `normalize` already converted can run it again.
 */
export function completeObservation(fields: Record<string, FieldValue>): void {
  const parameter = fields.parameter;
  if (typeof parameter !== 'string' || !(OBSERVATION_PARAMETERS as readonly string[]).includes(parameter)) {
    throw reject(`parameter ${JSON.stringify(parameter)} is not one Vigil reads (${OBSERVATION_PARAMETERS.join(', ')})`);
  }
  const source = fields.source;
  if (source !== null && source !== undefined && !(OBSERVATION_SOURCES as readonly string[]).includes(String(source))) {
    throw reject(`source "${String(source)}" is neither monitor nor manual`);
  }
  switch (parameter as ObservationParameter) {
    case 'consciousness':
      completeConsciousness(fields);
      return;
    case 'on_oxygen':
      completeChoice(fields, 'on_oxygen', [0, 1]);
      return;
    case 'spo2_scale':
      completeChoice(fields, 'spo2_scale', [1, 2]);
      return;
    default:
      completeMeasured(fields, parameter as MeasuredParameter);
  }
}

function completeMeasured(fields: Record<string, FieldValue>, parameter: MeasuredParameter): void {
  const value = fields.value;
  // Missing is missing: a reading without a number is refused, never stored as 0.
  if (typeof value !== 'number') throw reject(`${parameter} observation has no value`);
  const unit = typeof fields.unit === 'string' ? fields.unit : null;
  const canonical = toCanonicalUnit(parameter, value, unit);
  const reason = implausibleReason(parameter, canonical.value);
  if (reason !== undefined) throw reject(reason);
  fields.value = canonical.value;
  fields.unit = canonical.unit;
  fields.value_text = null;
  if (fields.spo2_scale !== null && fields.spo2_scale !== undefined) {
    if (parameter !== 'spo2') throw reject(`spo2_scale is only read with an spo2 reading, not with ${parameter}`);
    if (fields.spo2_scale !== 1 && fields.spo2_scale !== 2) throw reject(`spo2_scale ${JSON.stringify(fields.spo2_scale)} is not one of 1, 2`);
  }
  if ('diastolic_bp' in fields && fields.diastolic_bp !== null && fields.diastolic_bp !== undefined) {
    if (parameter !== 'systolic_bp') throw reject(`diastolic_bp is only read with a systolic_bp reading (a panel), not with ${parameter}`);
    if (typeof fields.diastolic_bp !== 'number') throw reject('diastolic_bp is not a number');
    const diastolic = toCanonicalUnit('diastolic_bp', fields.diastolic_bp, unit).value;
    const why = implausibleReason('diastolic_bp', diastolic);
    if (why !== undefined) throw reject(why);
    fields.diastolic_bp = diastolic;
  }
}

function completeConsciousness(fields: Record<string, FieldValue>): void {
  const text = typeof fields.value_text === 'string' ? fields.value_text.trim().toUpperCase() : '';
  if (!(ACVPU as readonly string[]).includes(text)) throw reject(`consciousness ${JSON.stringify(fields.value_text)} is not an ACVPU letter (A, C, V, P, U)`);
  fields.value_text = text;
  fields.value = null;
  fields.unit = null;
}

function completeChoice(fields: Record<string, FieldValue>, parameter: string, allowed: readonly number[]): void {
  if (typeof fields.value !== 'number' || !allowed.includes(fields.value)) {
    throw reject(`${parameter} ${JSON.stringify(fields.value)} is not one of ${allowed.join(', ')}`);
  }
  fields.unit = null;
  fields.value_text = null;
}

function reject(reason: string): VigilError {
  return new VigilError('VIGIL_EVENT_SCHEMA', reason);
}
