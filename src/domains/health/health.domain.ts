import type { GeneratorDefinition } from '../../simulate/generator.js';
import type { DomainDefinition } from '../domain.js';
import { healthDashboard } from './dashboard/health.dashboard.js';
import { HEALTH_DETECTORS } from './detectors/health-detectors.js';
import { fhirObservationFormat } from './formats/fhir-observation.format.js';
import { vitalsJsonFormat } from './formats/vitals-json.format.js';
import { healthGenerator } from './simulator/health.generator.js';

/**
 * Vital signs on a ward: FHIR R4 Observations (or flat rows) read as canonical observations, the
 * NEWS2, baseline, trend and sepsis detectors, the ward simulator, the health dashboard. NEWS2 (`vigil news2`), the sepsis score (`vigil fit-sepsis`, `vigil backtest
 * --template health`) and their evaluation (`npm run eval:health`, eval/health-eval.ts) live here too.
 */
export const healthDomain: DomainDefinition = {
  name: 'health',
  detectors: HEALTH_DETECTORS,
  simulator: healthGenerator as GeneratorDefinition<unknown>,
  formats: [fhirObservationFormat, vitalsJsonFormat],
  dashboard: healthDashboard,
};
