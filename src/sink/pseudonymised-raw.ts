import type { VigilEvent } from '../model/records.js';
import type { FieldSpec } from '../model/template/template.schema.js';

/** The simulator's ground truth property (simulate/generator.ts LABEL_PROPERTY): no identifier in it. */
const LABEL_PROPERTY = '_label';

/**
 * What a template that pseudonymises identifiers stores as an event's `raw`: its decoded fields
 * (pseudonyms in place of the identifiers) as JSON, never the message as received, which names
 * the patient in the clear. A simulated event's `_label` is kept, so evaluation still reads it.
 */
export function pseudonymisedRaw(event: VigilEvent, text: string, fields: Readonly<Record<string, FieldSpec>>): string {
  const stored: Record<string, unknown> = {};
  for (const name in fields) stored[name] = event.fields[name] ?? null;
  if (text.includes(`"${LABEL_PROPERTY}"`)) {
    const label = (JSON.parse(text) as Record<string, unknown>)[LABEL_PROPERTY];
    if (label !== undefined) stored[LABEL_PROPERTY] = label;
  }
  return JSON.stringify(stored);
}

/** Whether the template marks any field `pseudonymize`. */
export function pseudonymises(fields: Readonly<Record<string, FieldSpec>>): boolean {
  return Object.values(fields).some((spec) => spec.pseudonymize);
}
