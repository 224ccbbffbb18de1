/**
 * The FHIR codes the health formats read: the simulator's LOINC table, so the Observations it
 * writes and the mapping that reads them cannot drift apart.
 */
export {
  acvpuBySnomed,
  fahrenheitToCelsius,
  fhirVitalCodes,
  LOINC_BP_PANEL,
  LOINC_SYSTEM,
  SPO2_SCALE_EXTENSION_URL,
  UCUM_SYSTEM,
  WARD_EXTENSION_URL,
  type FhirVitalParameter,
} from '../fhir/loinc-vitals.js';
