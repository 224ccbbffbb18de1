import { z } from 'zod';
import type { DetectorLogger } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { implausibleReason, PLAUSIBLE_RANGES, type VitalName } from '../../vitals/plausibility.js';

/**
 * Where a canonical observation's parts are, as params every health detector takes: the template
 * maps FHIR or flat JSON to these names, so only a template that renames them sets these.
 */
export const observationFields = {
  /** The patient (already pseudonymised upstream); findings are about it. */
  patientField: z.string().min(1).default('patient_id'),
  /** Which vital: resp_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, pulse, consciousness, temperature, spo2_scale. */
  parameterField: z.string().min(1).default('parameter'),
  /** The reading in canonical units (/min, %, mmHg, °C); on_oxygen 1|0, spo2_scale 1|2. */
  valueField: z.string().min(1).default('value'),
  /** The ACVPU letter of a consciousness reading. */
  valueTextField: z.string().min(1).default('value_text'),
};

export type ObservationFields = { readonly [K in keyof typeof observationFields]: string };

/** One vital reading; `value` is the ACVPU index (A 0 … U 4) for consciousness. */
export interface Observation {
  readonly patient: string;
  readonly parameter: string;
  readonly value: number;
  readonly time: number;
  readonly id: string;
}

export const ACVPU = 'ACVPU';

/**
 * Reads one observation event, or undefined for an event no health detector can use. The decoder
 * dead-letters impossible values before they get here; one that slips through (a template without
 * that check, a replay) is ignored with a warning, never scored: a missing reading stays missing.
 * Parameters this code does not know pass through for the detector to ignore.
 */
export function readObservation(event: VigilEvent, fields: ObservationFields, log: DetectorLogger): Observation | undefined {
  const patient = event.fields[fields.patientField];
  const parameter = event.fields[fields.parameterField];
  if (patient === null || patient === undefined || patient === '' || typeof parameter !== 'string') return undefined;
  const base = { patient: String(patient), parameter, time: event.time, id: event.id };
  const raw = event.fields[fields.valueField];
  const reject = (reason: string): undefined => {
    log.warn('ignored an implausible observation', { event: event.id, parameter, reason });
    return undefined;
  };
  if (parameter === 'consciousness') {
    const text = event.fields[fields.valueTextField];
    const index = typeof text === 'string' && text.length === 1 ? ACVPU.indexOf(text.toUpperCase()) : -1;
    return index < 0 ? reject(`consciousness: expected one of A, C, V, P, U, got ${JSON.stringify(text)}`) : { ...base, value: index };
  }
  if (parameter === 'on_oxygen') {
    // 1|0 or true|false; a template that maps the oxygen flow (L/min) instead: any flow is oxygen.
    const value = raw === true ? 1 : raw === false ? 0 : raw;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? { ...base, value: value > 0 ? 1 : 0 }
      : reject(`on_oxygen: expected 1 or 0 (or a flow ≥ 0), got ${JSON.stringify(raw)}`);
  }
  if (parameter === 'spo2_scale') {
    return raw === 1 || raw === 2 ? { ...base, value: raw } : reject(`spo2_scale: expected 1 or 2, got ${JSON.stringify(raw)}`);
  }
  if (parameter in PLAUSIBLE_RANGES) {
    const reason = implausibleReason(parameter as VitalName, raw);
    return reason === undefined ? { ...base, value: raw as number } : reject(reason);
  }
  return typeof raw === 'number' && Number.isFinite(raw) ? { ...base, value: raw } : undefined;
}

/** Canonical fields a detector reading observations needs in the template. */
export function observationRequiredFields(p: ObservationFields, withText: boolean): string[] {
  return withText ? [p.patientField, p.parameterField, p.valueField, p.valueTextField] : [p.patientField, p.parameterField, p.valueField];
}
