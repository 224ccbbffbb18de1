import { VigilError } from '../../../errors/vigil-error.js';
import type { SourceFormat } from '../../../model/source-format.js';
import { toCanonicalUnit } from './canonical-units.js';
import { codedParameter, consciousnessLetter, quantity, referenceId, spo2ScaleOf, wardOf, type FhirObject } from './fhir-read.js';
import { completeObservation } from './observation-fields.js';
import { LOINC_BP_PANEL } from './vital-codes.js';

/**
 * Statuses whose value is a reading: `preliminary` is accepted, as a bedside monitor's
 * unverified numbers are exactly what an early warning must see. `registered` has no value yet;
 * `cancelled` and `entered-in-error` retract one, and `unknown` cannot be trusted.
 */
const READABLE_STATUSES = new Set(['preliminary', 'final', 'amended', 'corrected']);

/**
 * A FHIR R4 Observation of the vital-signs profile (one resource per message, as an EHR's or a
 * monitor gateway's FHIR feed sends them) → one canonical observation: the LOINC code names the
 * parameter, `valueQuantity` is read in its UCUM unit and converted (°F to °C, kPa to mmHg), a
 * blood-pressure panel (85354-9) gives its systolic and diastolic components. Everything else is
 * dead-lettered with the reason: another resource type, a retracted status, no Patient subject,
 * a code or unit it does not know, an implausible value.
 */
export const fhirObservationFormat: SourceFormat = {
  name: 'fhir-observation',
  description: 'FHIR R4 Observation (vital-signs profile, LOINC codes, UCUM units), one resource per message.',
  normalize(document) {
    const resource = document as FhirObject;
    if (resource.resourceType !== 'Observation') throw reject(`resourceType is ${JSON.stringify(resource.resourceType ?? null)}, expected "Observation"`);
    const status = resource.status;
    if (typeof status !== 'string' || !READABLE_STATUSES.has(status)) {
      throw reject(`status ${JSON.stringify(status ?? null)} carries no reading (expected ${[...READABLE_STATUSES].join(', ')})`);
    }
    const patient = referenceId(resource.subject, 'Patient');
    if (patient === undefined) throw reject(describeSubject(resource.subject));
    const ts = resource.effectiveDateTime ?? resource.effectiveInstant ?? (resource.effectivePeriod as FhirObject | undefined)?.start;
    if (ts === undefined) throw reject('observation without an effective time (effectiveDateTime, effectiveInstant or effectivePeriod.start)');
    const common = {
      obs_id: resource.id,
      ts,
      patient_id: patient,
      encounter_id: referenceId(resource.encounter, 'Encounter'),
      ward: wardOf(resource),
      status,
      source: isFromDevice(resource) ? 'monitor' : 'manual',
    };
    return { ...common, ...reading(resource) };
  },
  complete: completeObservation,
};

/** parameter, value, value_text, unit (and diastolic_bp for a panel) from the resource's code and value. */
function reading(resource: FhirObject): Record<string, unknown> {
  const coded = codedParameter(resource.code);
  if (coded === LOINC_BP_PANEL) return bloodPressurePanel(resource);
  if (coded === undefined) throw reject(`code ${describeCode(resource.code)} is not a vital sign Vigil reads`);
  const parameter = coded;
  if (parameter === 'consciousness') return { parameter, value: null, value_text: consciousnessLetter(resource), unit: null };
  const q = quantity(resource, parameter);
  if (parameter === 'on_oxygen') {
    // An oxygen flow: any flow is "on oxygen", 0 L/min is room air.
    if (q.unit !== 'L/min') throw reject(`unit "${q.unit}" is not a unit of oxygen flow (expected L/min)`);
    return { parameter, value: q.value > 0 ? 1 : 0, value_text: null, unit: null };
  }
  const reading = { parameter, ...toCanonicalUnit(parameter, q.value, q.unit), value_text: null };
  // The patient's SpO2 scale travels on their SpO2 readings (one message gives one event).
  return parameter === 'spo2' ? { ...reading, spo2_scale: spo2ScaleOf(resource) } : reading;
}

function bloodPressurePanel(resource: FhirObject): Record<string, unknown> {
  const components = Array.isArray(resource.component) ? (resource.component as FhirObject[]) : [];
  const byParameter = new Map(components.map((c) => [codedParameter(c.code), c] as const));
  const systolic = byParameter.get('systolic_bp');
  if (systolic === undefined) throw reject('blood-pressure panel (85354-9) without a systolic component (8480-6)');
  const s = quantity(systolic, 'systolic_bp');
  const diastolic = byParameter.get('diastolic_bp');
  const d = diastolic === undefined || diastolic.valueQuantity === undefined ? undefined : quantity(diastolic, 'diastolic_bp');
  return {
    parameter: 'systolic_bp',
    ...toCanonicalUnit('systolic_bp', s.value, s.unit),
    value_text: null,
    diastolic_bp: d === undefined ? null : toCanonicalUnit('diastolic_bp', d.value, d.unit).value,
  };
}

/** A monitor sends through a Device (`device`, or a Device performer); a nurse's charting names a Practitioner. */
function isFromDevice(resource: FhirObject): boolean {
  if (referenceId(resource.device, 'Device') !== undefined) return true;
  const performers = Array.isArray(resource.performer) ? (resource.performer as unknown[]) : [];
  return performers.some((p) => referenceId(p, 'Device') !== undefined);
}

function describeSubject(subject: unknown): string {
  const reference = (subject as FhirObject | undefined)?.reference;
  if (typeof reference === 'string') return `observation without a patient: subject is ${reference}, expected a Patient reference`;
  return 'observation without a patient (no subject.reference to a Patient)';
}

function describeCode(code: unknown): string {
  const codings = Array.isArray((code as FhirObject | undefined)?.coding) ? ((code as FhirObject).coding as FhirObject[]) : [];
  if (codings.length === 0) return 'with no coding';
  return codings.map((c) => `${String(c.system ?? '?')}|${String(c.code ?? '?')}`).join(', ');
}

function reject(reason: string): VigilError {
  return new VigilError('VIGIL_EVENT_SCHEMA', reason);
}
