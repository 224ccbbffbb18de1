/**
 * The FHIR R4 codes the health template reads, in one pure table so the simulator that writes
 * Observations and the mapping that reads them cannot drift apart. Sources: the FHIR R4 vital-signs
 * profiles (LOINC codes, UCUM units), LOINC 67775-7 "Level of responsiveness" with SNOMED CT
 * findings for ACVPU (the AVPU value set used by IHE's paramedicine guide, plus 130987000 "Acute
 * confusion" for NEWS2's C), and LOINC 3151-8 "Inhaled oxygen flow rate" for air vs oxygen.
 */

/** Canonical parameter names, as in `vigil news2` lines (plus diastolic BP, which NEWS2 does not score). */
export type FhirVitalParameter = 'resp_rate' | 'spo2' | 'systolic_bp' | 'diastolic_bp' | 'pulse' | 'temperature' | 'consciousness' | 'on_oxygen';

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/**
 * LOINC code -> parameter, for an Observation's `code.coding[].code` or a BP panel component's.
 * SpO2 has two codes: 59408-5 (by pulse oximetry) and 2708-6 (the base profile's code); senders
 * use either or both. 3151-8 is a flow in L/min: 0 means room air, above 0 means on oxygen.
 */
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

/** The UCUM codes each parameter is sent in (`valueQuantity.code`); temperature has two. */
export const fhirVitalUnits: Readonly<Record<Exclude<FhirVitalParameter, 'consciousness'>, readonly string[]>> = {
  resp_rate: ['/min'],
  spo2: ['%'],
  systolic_bp: ['mm[Hg]'],
  diastolic_bp: ['mm[Hg]'],
  pulse: ['/min'],
  temperature: ['Cel', '[degF]'],
  on_oxygen: ['L/min'],
};

/** ACVPU letter -> SNOMED CT finding carried in a 67775-7 `valueCodeableConcept` (its `text` is the letter). */
export const acvpuSnomed = {
  A: { code: '248234008', display: 'Mentally alert' },
  C: { code: '130987000', display: 'Acute confusion' },
  V: { code: '300202002', display: 'Responds to voice' },
  P: { code: '450847001', display: 'Responds to pain' },
  U: { code: '422768004', display: 'Unresponsive' },
} as const;

/** SNOMED CT code -> ACVPU letter, the reverse of `acvpuSnomed`. */
export const acvpuBySnomed: Readonly<Record<string, keyof typeof acvpuSnomed>> = Object.fromEntries(
  Object.entries(acvpuSnomed).map(([letter, { code }]) => [code, letter as keyof typeof acvpuSnomed]),
);

/** The extension that carries the ward on each Observation (FHIR R4 Observation has no location). */
export const WARD_EXTENSION_URL = 'http://vigil.dev/fhir/ward';

/**
 * Set on the SpO2 Observations of a patient prescribed the NEWS2 SpO2 scale 2 (target 88-92 %,
 * hypercapnic respiratory failure), `valueInteger` 2. FHIR has no standard element for it; without
 * it a reader falls back to the template's default scale.
 */
export const SPO2_SCALE_EXTENSION_URL = 'http://vigil.dev/fhir/spo2-scale';

/** °F -> °C, for senders that use `[degF]`. */
export function fahrenheitToCelsius(value: number): number {
  return ((value - 32) * 5) / 9;
}
