import { VigilError } from '../../../errors/vigil-error.js';
import { acvpuBySnomed, fhirVitalCodes, LOINC_BP_PANEL, LOINC_SYSTEM, SPO2_SCALE_EXTENSION_URL, UCUM_SYSTEM, WARD_EXTENSION_URL, type FhirVitalParameter } from './vital-codes.js';

/** A parsed FHIR JSON object, read defensively: feeds differ, and a missing element must not crash. */
export type FhirObject = Record<string, unknown>;

/** The parameter a CodeableConcept's LOINC coding names, the BP panel's code, or undefined. */
export function codedParameter(code: unknown): FhirVitalParameter | typeof LOINC_BP_PANEL | undefined {
  const codings = Array.isArray((code as FhirObject | undefined)?.coding) ? ((code as FhirObject).coding as FhirObject[]) : [];
  for (const coding of codings) {
    if (coding.system !== LOINC_SYSTEM || typeof coding.code !== 'string') continue;
    if (coding.code === LOINC_BP_PANEL) return LOINC_BP_PANEL;
    const parameter = fhirVitalCodes[coding.code];
    if (parameter !== undefined) return parameter;
  }
  return undefined;
}

/**
 * `valueQuantity` as a number and its unit: the UCUM `code` when the system is UCUM (what the
 * vital-signs profile requires), else the human `unit`. No value is refused with FHIR's own
 * `dataAbsentReason` when there is one: a missing reading is missing, never zero.
 */
export function quantity(element: FhirObject, parameter: string): { value: number; unit: string | undefined } {
  const q = element.valueQuantity as FhirObject | undefined;
  if (q === undefined || typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    const absent = (element.dataAbsentReason as FhirObject | undefined)?.coding;
    const why = Array.isArray(absent) && absent.length > 0 ? ` (dataAbsentReason ${String((absent[0] as FhirObject).code)})` : '';
    throw new VigilError('VIGIL_EVENT_SCHEMA', `${parameter} observation has no valueQuantity.value${why}`);
  }
  const unit = q.system === UCUM_SYSTEM && typeof q.code === 'string' ? q.code : typeof q.unit === 'string' ? q.unit : typeof q.code === 'string' ? q.code : undefined;
  return { value: q.value, unit };
}

/**
 * The id of a reference to a resource of `type`: `Patient/123`, an absolute
 * `https://ehr.example/fhir/Patient/123` or a versioned `Patient/123/_history/2` give `123`. A
 * reference to another type (a Group, a Device where a Patient is expected) gives undefined.
 */
export function referenceId(reference: unknown, type: string): string | undefined {
  const text = (reference as FhirObject | undefined)?.reference;
  if (typeof text !== 'string') return undefined;
  const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(text);
  return match?.[1];
}

/** The ward from Vigil's extension: a string, a coded ward's text, or a Location reference's display. */
export function wardOf(resource: FhirObject): string | undefined {
  const extensions = Array.isArray(resource.extension) ? (resource.extension as FhirObject[]) : [];
  const ward = extensions.find((e) => e.url === WARD_EXTENSION_URL);
  if (ward === undefined) return undefined;
  if (typeof ward.valueString === 'string') return ward.valueString;
  const concept = ward.valueCodeableConcept as FhirObject | undefined;
  if (typeof concept?.text === 'string') return concept.text;
  const location = ward.valueReference as FhirObject | undefined;
  return typeof location?.display === 'string' ? location.display : undefined;
}

/** The SpO2 scale an SpO2 Observation names in Vigil's extension (`valueInteger`), or undefined. */
export function spo2ScaleOf(resource: FhirObject): unknown {
  const extensions = Array.isArray(resource.extension) ? (resource.extension as FhirObject[]) : [];
  return extensions.find((e) => e.url === SPO2_SCALE_EXTENSION_URL)?.valueInteger;
}

/** ACVPU from a 67775-7 observation: its SNOMED CT finding, else the concept's text (a letter). */
export function consciousnessLetter(resource: FhirObject): string | null {
  const concept = resource.valueCodeableConcept as FhirObject | undefined;
  const codings = Array.isArray(concept?.coding) ? (concept.coding as FhirObject[]) : [];
  for (const coding of codings) {
    const letter = typeof coding.code === 'string' ? acvpuBySnomed[coding.code] : undefined;
    if (letter !== undefined) return letter;
  }
  if (typeof concept?.text === 'string') return concept.text;
  return typeof resource.valueString === 'string' ? resource.valueString : null;
}
