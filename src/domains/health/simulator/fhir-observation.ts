import type { Consciousness } from '../vitals/vital-signs.js';
import { acvpuSnomed, LOINC_BP_PANEL, LOINC_SYSTEM, SNOMED_SYSTEM, SPO2_SCALE_EXTENSION_URL, UCUM_SYSTEM, WARD_EXTENSION_URL } from '../fhir/loinc-vitals.js';

/** What one simulated Observation reports. */
export type Reading =
  | { readonly kind: 'pulse' | 'resp_rate' | 'oxygen'; readonly value: number }
  | { readonly kind: 'spo2'; readonly value: number; readonly codes: readonly ('59408-5' | '2708-6')[] }
  | { readonly kind: 'temperature'; readonly value: number; readonly fahrenheit: boolean }
  | { readonly kind: 'bp'; readonly systolic: number; readonly diastolic: number }
  | { readonly kind: 'consciousness'; readonly value: Consciousness };

export interface ObservationContext {
  readonly id: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly ward: string;
  /** The patient's NEWS2 SpO2 scale; 2 is sent on SpO2 readings as an extension. */
  readonly spo2Scale: 1 | 2;
  readonly effectiveMs: number;
  /** When the reading was made available (sent): after `effectiveMs` for one charted late. */
  readonly issuedMs: number;
  /** A monitor (`Device/...`) or the nurse who charted it (`Practitioner/...`). */
  readonly source: { readonly device: string } | { readonly performer: string };
}

const PROFILE = 'http://hl7.org/fhir/StructureDefinition/';
const VITAL_SIGNS_CATEGORY = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' },
];

const LOINC = {
  pulse: { code: '8867-4', display: 'Heart rate', profile: 'heartrate' },
  resp_rate: { code: '9279-1', display: 'Respiratory rate', profile: 'resprate' },
  temperature: { code: '8310-5', display: 'Body temperature', profile: 'bodytemp' },
  bp: { code: LOINC_BP_PANEL, display: 'Blood pressure panel with all children optional', profile: 'bp' },
  consciousness: { code: '67775-7', display: 'Level of responsiveness', profile: undefined },
  oxygen: { code: '3151-8', display: 'Inhaled oxygen flow rate', profile: undefined },
} as const;
const SPO2_DISPLAY = { '59408-5': 'Oxygen saturation in Arterial blood by Pulse oximetry', '2708-6': 'Oxygen saturation in Arterial blood' } as const;

/** A FHIR R4 Observation (vital-signs profile where one exists) as the ward's integration engine sends it. */
export function fhirObservation(context: ObservationContext, reading: Reading): Record<string, unknown> {
  const { code, profile } = codeOf(reading);
  return {
    resourceType: 'Observation',
    id: context.id,
    ...(profile === undefined ? {} : { meta: { profile: [`${PROFILE}${profile}`] } }),
    extension:
      reading.kind === 'spo2' && context.spo2Scale === 2
        ? [{ url: WARD_EXTENSION_URL, valueString: context.ward }, { url: SPO2_SCALE_EXTENSION_URL, valueInteger: 2 }]
        : [{ url: WARD_EXTENSION_URL, valueString: context.ward }],
    status: 'final',
    category: VITAL_SIGNS_CATEGORY,
    code,
    subject: { reference: `Patient/${context.patientId}` },
    encounter: { reference: `Encounter/${context.encounterId}` },
    effectiveDateTime: new Date(context.effectiveMs).toISOString(),
    issued: new Date(context.issuedMs).toISOString(),
    ...('device' in context.source ? { device: { reference: context.source.device } } : { performer: [{ reference: context.source.performer }] }),
    ...valueOf(reading),
  };
}

function codeOf(reading: Reading): { code: Record<string, unknown>; profile: string | undefined } {
  if (reading.kind === 'spo2') {
    return {
      code: { coding: reading.codes.map((code) => ({ system: LOINC_SYSTEM, code, display: SPO2_DISPLAY[code] })), text: 'SpO2' },
      profile: 'oxygensat',
    };
  }
  const loinc = LOINC[reading.kind];
  return { code: { coding: [{ system: LOINC_SYSTEM, code: loinc.code, display: loinc.display }], text: loinc.display }, profile: loinc.profile };
}

function valueOf(reading: Reading): Record<string, unknown> {
  switch (reading.kind) {
    case 'pulse':
      return { valueQuantity: quantity(reading.value, 'beats/minute', '/min') };
    case 'resp_rate':
      return { valueQuantity: quantity(reading.value, 'breaths/minute', '/min') };
    case 'spo2':
      return { valueQuantity: quantity(reading.value, '%', '%') };
    case 'oxygen':
      return { valueQuantity: quantity(reading.value, 'L/min', 'L/min') };
    case 'temperature':
      return { valueQuantity: reading.fahrenheit ? quantity(reading.value, '°F', '[degF]') : quantity(reading.value, '°C', 'Cel') };
    case 'bp':
      return {
        component: [
          { code: { coding: [{ system: LOINC_SYSTEM, code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: quantity(reading.systolic, 'mmHg', 'mm[Hg]') },
          { code: { coding: [{ system: LOINC_SYSTEM, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(reading.diastolic, 'mmHg', 'mm[Hg]') },
        ],
      };
    case 'consciousness': {
      const answer = acvpuSnomed[reading.value];
      return { valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, code: answer.code, display: answer.display }], text: reading.value } };
    }
  }
}

function quantity(value: number, unit: string, code: string): Record<string, unknown> {
  return { value, unit, system: UCUM_SYSTEM, code };
}
