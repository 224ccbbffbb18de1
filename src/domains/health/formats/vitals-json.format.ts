import type { SourceFormat } from '../../../model/source-format.js';
import { completeObservation } from './observation-fields.js';

/**
 * One flat JSON object per reading, as a charting system or a script exports them, e.g.
 * `{"id": "r1", "time": "…", "patient": "MRN123", "ward": "4B", "parameter": "temperature",
 * "value": 99.1, "unit": "[degF]", "source": "manual"}`. The template's `from` paths map the
 * user's names; once they are read, the reading is checked and completed as a FHIR one is: unit
 * converted to the canonical one (°F to °C, kPa to mmHg; no unit means canonical), parameter
 * known, value plausible.
 */
export const vitalsJsonFormat: SourceFormat = {
  name: 'vitals-json',
  description: 'A flat JSON object per vital-sign reading (parameter, value, unit), mapped by the template.',
  normalize: (document) => document,
  complete: completeObservation,
};
