import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import { internalizeStrings } from '../model/internalized.js';
import { describeError, VigilError } from '../errors/vigil-error.js';
import { checkTemplateRules } from '../detectors/rule/rule.checks.js';
import { resolveDetectors, type DetectorLookup } from './detector-resolver.js';
import { type Env, substituteEnv } from './env-substitution.js';
import type { GeneratorLookup } from '../simulate/generators.js';
import { checkAlerts, checkEvent, checkFormat, checkSimulator, checkTopics, checkViews } from './template.checks.js';
import { type LoadedTemplate, templateSchema } from '../model/template/template.schema.js';
import type { SourceFormatLookup } from '../model/source-format.js';
import { SourceFormatRegistry } from '../model/source-formats.js';
import { displayPath, type TemplateProblem, templateInvalid } from '../model/template/template-problems.js';
import { ZOD_PARSE_OPTIONS, zodProblems } from '../model/template/zod-problems.js';

export type { DetectorLookup } from './detector-resolver.js';
export type { Env } from './env-substitution.js';

export interface LoadTemplateOptions {
  /** Values for `${VAR}` references; pass the environment parsed at start-up, never read it here. */
  readonly env: Env;
  readonly detectors: DetectorLookup;
  /** The generators a `simulator` section may name. */
  readonly generators: GeneratorLookup;
  /** The source formats `event.format` may name; only `json` when absent. */
  readonly formats?: SourceFormatLookup;
}

/**
 * Loads and validates a template file. Throws VIGIL_TEMPLATE_NOT_FOUND when the file cannot be
 * read and VIGIL_TEMPLATE_INVALID listing every problem, one per line, otherwise.
 */
export async function loadTemplate(file: string, options: LoadTemplateOptions): Promise<LoadedTemplate> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new VigilError('VIGIL_TEMPLATE_NOT_FOUND', `template not found: ${displayPath(absolute)} (${describeError(error)})`, {
      cause: error,
    });
  }
  return parseTemplate(text, absolute, options);
}

/**
 * Validates template text as if read from `file` (used for messages and to resolve user detector
 * modules), e.g. for a template posted to the API. Stages run in order and each reports all of
 * its problems; a stage runs only when the ones before it passed, because it needs their output
 * (the schema cannot be checked with a variable missing, cross-field checks need a valid shape).
 */
export async function parseTemplate(text: string, file: string, options: LoadTemplateOptions): Promise<LoadedTemplate> {
  const absolute = path.resolve(file);
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw templateInvalid(absolute, doc.errors.map(yamlProblem));

  const envProblems = substituteEnv(doc, options.env);
  if (envProblems.length > 0) throw templateInvalid(absolute, envProblems);

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    throw templateInvalid(absolute, [{ path: '', message: describeError(error) }], error);
  }
  // Field names become property keys detectors read per event: see internalized.ts.
  const parsed = templateSchema.safeParse(internalizeStrings(data ?? {}), ZOD_PARSE_OPTIONS);
  if (!parsed.success) throw templateInvalid(absolute, zodProblems(parsed.error, templateSchema));
  const template = parsed.data;

  const detectors = await resolveDetectors(template, absolute, options.detectors);
  const formats = options.formats ?? new SourceFormatRegistry([]);
  const problems: TemplateProblem[] = [
    ...checkTopics(template),
    ...checkEvent(template),
    ...checkFormat(template, formats),
    ...detectors.problems,
    ...checkTemplateRules(template),
    ...checkAlerts(template),
    ...checkSimulator(template, options.generators),
    ...checkViews(template),
  ];
  if (problems.length > 0) throw templateInvalid(absolute, problems);

  return { template, file: absolute, detectors: detectors.detectors, format: formats.get(template.event.format)! };
}

function yamlProblem(error: YAMLError): TemplateProblem {
  const position = error.linePos?.[0];
  // The yaml package appends " at line L, column C:" and a source excerpt; the position is rendered separately.
  const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
  return position === undefined ? { path: '', message } : { path: '', message, line: position.line, col: position.col };
}
