/**
 * Real-shaped FHIR R4 Observations of the vital-signs profile, as an EHR or a monitor gateway sends
 * them (the shape of HL7's and US Core's published examples: meta.profile, the vital-signs
 * category, LOINC codes with displays, UCUM quantities, subject/encounter/performer references).
 */

type Json = Record<string, unknown>;

const VITAL_SIGNS_CATEGORY = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' },
];

export interface ObservationOptions {
  readonly id?: string;
  readonly patient?: string;
  readonly encounter?: string;
  readonly ward?: string;
  readonly effective?: string;
  readonly status?: string;
  /** A monitor (Device) or a nurse (Practitioner) took it. */
  readonly by?: 'monitor' | 'nurse';
}

function base(options: ObservationOptions, profile: string, code: Json): Json {
  const { id = 'obs-1', patient = 'pat-1001', encounter = 'enc-77', ward = '4B Respiratory', effective = '2026-12-07T09:30:00+01:00', status = 'final', by = 'monitor' } = options;
  return {
    resourceType: 'Observation',
    id,
    meta: { profile: [`http://hl7.org/fhir/StructureDefinition/${profile}`] },
    extension: [{ url: 'http://vigil.dev/fhir/ward', valueString: ward }],
    status,
    category: VITAL_SIGNS_CATEGORY,
    code,
    subject: { reference: `Patient/${patient}` },
    encounter: { reference: `Encounter/${encounter}` },
    effectiveDateTime: effective,
    issued: '2026-12-07T08:31:12.000Z',
    ...(by === 'monitor' ? { device: { reference: 'Device/philips-mx450-bed12', display: 'Bedside monitor bed 12' } } : { performer: [{ reference: 'Practitioner/rn-0420' }] }),
  };
}

function loinc(code: string, display: string, ...more: { code: string; display: string }[]): Json {
  return { coding: [{ system: 'http://loinc.org', code, display }, ...more.map((m) => ({ system: 'http://loinc.org', ...m }))], text: display };
}

function quantity(value: number, unit: string, code: string): Json {
  return { value, unit, system: 'http://unitsofmeasure.org', code };
}

export function heartRate(value: number, options: ObservationOptions = {}): Json {
  return { ...base(options, 'heartrate', loinc('8867-4', 'Heart rate')), valueQuantity: quantity(value, 'beats/minute', '/min') };
}

export function respiratoryRate(value: number, options: ObservationOptions = {}): Json {
  return { ...base(options, 'resprate', loinc('9279-1', 'Respiratory rate')), valueQuantity: quantity(value, 'breaths/minute', '/min') };
}

export function oxygenSaturation(value: number, options: ObservationOptions = {}): Json {
  const code = loinc('2708-6', 'Oxygen saturation in Arterial blood', { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' });
  return { ...base(options, 'oxygensat', code), valueQuantity: quantity(value, '%', '%') };
}

export function bodyTemperature(value: number, unit: 'Cel' | '[degF]' | string, options: ObservationOptions = {}): Json {
  const human = unit === 'Cel' ? 'C' : unit === '[degF]' ? 'F' : unit;
  return { ...base(options, 'bodytemp', loinc('8310-5', 'Body temperature')), valueQuantity: quantity(value, human, unit) };
}

export function bloodPressurePanel(systolic: number, diastolic: number, options: ObservationOptions = {}, unit = 'mm[Hg]'): Json {
  const component = (code: string, display: string, value: number) => ({ code: loinc(code, display), valueQuantity: quantity(value, unit === 'mm[Hg]' ? 'mmHg' : unit, unit) });
  return {
    ...base(options, 'bp', loinc('85354-9', 'Blood pressure panel with all children optional')),
    component: [component('8480-6', 'Systolic blood pressure', systolic), component('8462-4', 'Diastolic blood pressure', diastolic)],
  };
}

/** ACVPU as LOINC 67775-7 "Level of responsiveness" with the SNOMED CT finding. */
export function consciousness(snomed: string, display: string, letter: string, options: ObservationOptions = {}): Json {
  return {
    ...base(options, 'vitalsigns', loinc('67775-7', 'Level of responsiveness')),
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed, display }], text: letter },
  };
}

/** Supplemental oxygen as LOINC 3151-8 "Inhaled oxygen flow rate" (0 L/min: room air). */
export function oxygenFlow(litresPerMinute: number, options: ObservationOptions = {}): Json {
  return { ...base(options, 'vitalsigns', loinc('3151-8', 'Inhaled oxygen flow rate')), valueQuantity: quantity(litresPerMinute, 'L/min', 'L/min') };
}

/** A resource of another type on the same feed. */
export function patientResource(id = 'pat-1001'): Json {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.2.1.4.1', value: '9434765919' }],
    name: [{ family: 'Shaw', given: ['Amy'] }],
    gender: 'female',
    birthDate: '1987-02-20',
  };
}
