import type { LoadedTemplate } from '../model/template/template.schema.js';
import type { DetectorSlot } from './partition-runtime.js';

/** The detectors of a loaded template as the runtime runs them, in template order. */
export function detectorSlots(loaded: LoadedTemplate): DetectorSlot[] {
  return loaded.detectors.map(({ id, definition, params }) => ({ id, definition, params }));
}
