import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { templateSchema, type Template } from '../../../../model/template/template.schema.js';
import { expandVariables } from '../../../../templates/env-substitution.js';

/**
 * The shipped templates/social/template.yaml, as is (`social-json`), or switched to another format
 * the way its README says: `event.format` set and every `from` removed, so the format's canonical
 * names are read. For specs, which may not import the loader's domain registry.
 */
export function socialTemplate(format = 'social-json'): Template {
  const expanded = expandVariables(readFileSync(path.resolve('templates/social/template.yaml'), 'utf8'), {});
  if (!expanded.ok) throw new Error(expanded.messages.join('; '));
  const document = parse(expanded.value) as { event: { format: string; fields: Record<string, { from?: string }> } };
  if (format !== 'social-json') {
    document.event.format = format;
    for (const field of Object.values(document.event.fields)) delete field.from;
  }
  return templateSchema.parse(document);
}
