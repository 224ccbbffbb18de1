/**
 * The FHIR codes the health formats read, in one place: until the simulator's LOINC table
 * (src/domains/health/fhir/loinc-vitals.ts) is on main, the same table is kept here under the
 * same names, so switching to it is this file's body and nothing else.
 */

export type FhirVitalParameter = 'resp_rate' | 'spo2' | 'systolic_bp' | 'diastolic_bp' | 'pulse' | 'temperature' | 'consciousness' | 'on_oxygen';

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** LOINC code -> parameter (SpO2 has two codes; 3151-8 is an oxygen flow in L/min). */
export const fhirVitalCodes: Readonly<Record<string, FhirVitalParameter>> = {
  '9279-1': 'resp_rate',
  '59408-5': 'spo2',
  '2708-6': 'spo2',
  '8480-6': 'systolic_bp',
  '8462-4': 'diastolic_bp',
  '8867-4': 'pulse',
  '8310-5': 'temperature',
  '67775-7': 'consciousness',
  '3151-8': 'on_oxygen',
};

/** The blood-pressure panel: no value of its own, systolic and diastolic as components. */
export const LOINC_BP_PANEL = '85354-9';

/** ACVPU letter -> SNOMED CT finding carried in a 67775-7 `valueCodeableConcept`. */
export const acvpuSnomed = {
  A: { code: '248234008', display: 'Mentally alert' },
  C: { code: '130987000', display: 'Acute confusion' },
  V: { code: '300202002', display: 'Responds to voice' },
  P: { code: '450847001', display: 'Responds to pain' },
  U: { code: '422768004', display: 'Unresponsive' },
} as const;

/** SNOMED CT code -> ACVPU letter. */
export const acvpuBySnomed: Readonly<Record<string, keyof typeof acvpuSnomed>> = Object.fromEntries(
  Object.entries(acvpuSnomed).map(([letter, { code }]) => [code, letter as keyof typeof acvpuSnomed]),
);

/** The extension that carries the ward on each Observation (FHIR R4 Observation has no location). */
export const WARD_EXTENSION_URL = 'http://vigil.dev/fhir/ward';

/** The extension on an SpO2 Observation naming the patient's NEWS2 SpO2 scale (`valueInteger` 2: hypercapnic respiratory failure). */
export const SPO2_SCALE_EXTENSION_URL = 'http://vigil.dev/fhir/spo2-scale';

/** °F -> °C, for senders that use `[degF]`. */
export function fahrenheitToCelsius(value: number): number {
  return ((value - 32) * 5) / 9;
}
