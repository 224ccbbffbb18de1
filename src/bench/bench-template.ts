import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { loadTemplateByRef } from '../app/build-core.js';
import type { VigilConfig } from '../config/vigil-config.js';
import { TemplateCatalog } from '../templates/template.catalog.js';
import type { Template } from '../model/template/template.schema.js';

/**
 * The bench runs the shipped finance template unchanged except for its name and topics: every
 * run reads a fresh input topic, and every pipeline child gets its own template name (hence its own
 * consumer groups, `vigil.<name>.<stage>`) and its own output topics, so children of one run never
 * see each other's committed offsets or findings, and nothing collides with a real Vigil on a
 * shared broker.
 */
export const BASE_TEMPLATE = 'finance';

export interface BenchTemplate {
  /** Absolute path of the written copy, for buildCore({ template }). */
  readonly file: string;
  readonly template: Template;
}

/** The shipped template, validated, as the fill and every variant start from. */
export async function loadBaseTemplate(config: VigilConfig): Promise<{ file: string; template: Template }> {
  const file = new TemplateCatalog(config.templatesDir).resolve(BASE_TEMPLATE);
  const loaded = await loadTemplateByRef(config, file);
  return { file, template: loaded.template };
}

/** Topic names of one bench run: `vigil.bench.<runId>.<base input>` for the shared input. */
export function benchInputTopic(base: Template, runId: string): string {
  return `vigil.bench.${runId}.${base.topics.input}`;
}

/**
 * Writes `<dir>/<variant>.template.yaml`: the base template with name `bench_<variant>_<runId>`,
 * input `inputTopic`, and findings/alerts/dead-letter/feedback topics of its own. Validated by loading it.
 */
export async function writeTemplateVariant(
  config: VigilConfig,
  options: { baseFile: string; dir: string; runId: string; variant: string; inputTopic: string },
): Promise<BenchTemplate> {
  const { runId, variant } = options;
  const document = parseDocument(await readFile(options.baseFile, 'utf8'));
  const prefix = `vigil.bench.${runId}.${variant}`;
  document.set('name', `bench_${variant}_${runId}`);
  document.setIn(['topics', 'input'], options.inputTopic);
  document.setIn(['topics', 'findings'], `${prefix}.findings`);
  document.setIn(['topics', 'alerts'], `${prefix}.alerts`);
  document.setIn(['topics', 'deadLetter'], `${prefix}.dlq`);
  // The feedback topic too: a shared one would feed a real Vigil's labels into the run, and the
  // clean-up would delete it with the run's topics.
  if (document.hasIn(['topics', 'feedback'])) document.setIn(['topics', 'feedback'], `${prefix}.feedback`);
  const file = path.join(options.dir, `${variant}.template.yaml`);
  await writeFile(file, document.toString());
  const loaded = await loadTemplateByRef(config, file);
  return { file, template: loaded.template };
}
