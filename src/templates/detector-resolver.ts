import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyDetectorDefinition } from '../model/detector.js';
import { describeError } from '../errors/vigil-error.js';
import type { LoadedDetector, Template } from '../model/template/template.schema.js';
import type { TemplateProblem } from '../model/template/template-problems.js';
import { knownList } from './template.checks.js';
import { didYouMean, ZOD_PARSE_OPTIONS, zodProblems } from '../model/template/zod-problems.js';

/**
 * What the loader needs from the detector registry (src/detectors/registry.ts implements it).
 * Kept as a parameter so templates never import the registry and tests can pass a fake.
 */
export interface DetectorLookup {
  get(type: string): AnyDetectorDefinition | undefined;
  names(): string[];
}

export interface ResolvedDetectors {
  readonly problems: TemplateProblem[];
  /** The enabled instances in template order, with definitions and parsed params. */
  readonly detectors: LoadedDetector[];
}

/** The `type` that loads a user detector from `module`. */
export const FILE_DETECTOR_TYPE = 'file';

/**
 * Resolves every detector instance of a schema-valid template: unique id, a known type (or a
 * user module that loads and exports a detector), params valid for that detector, and the fields
 * it reads present in event.fields. Disabled instances are checked too, so enabling one later
 * cannot fail at start-up.
 */
export async function resolveDetectors(template: Template, file: string, lookup: DetectorLookup): Promise<ResolvedDetectors> {
  const problems: TemplateProblem[] = [];
  const detectors: LoadedDetector[] = [];
  const firstIndex = new Map<string, number>();
  const fieldNames = Object.keys(template.event.fields);

  for (const [index, instance] of template.detectors.entries()) {
    const at = `detectors[${index}]`;
    const duplicateOf = firstIndex.get(instance.id);
    if (duplicateOf !== undefined) {
      problems.push({ path: `${at}.id`, message: `duplicate detector id "${instance.id}" (also detectors[${duplicateOf}])` });
    } else {
      firstIndex.set(instance.id, index);
    }

    const found = await findDefinition(instance.type, instance.module, file, lookup);
    if ('problem' in found) {
      problems.push({ path: `${at}.${found.problem.at}`, message: found.problem.message });
      continue;
    }
    const definition = found.definition;
    const parsed = definition.meta.params.safeParse(instance.params, ZOD_PARSE_OPTIONS);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, definition.meta.params, `${at}.params`));
      continue;
    }

    let required: readonly string[];
    try {
      required = definition.meta.requiredFields(parsed.data);
    } catch (error) {
      problems.push({ path: `${at}.params`, message: `detector "${definition.meta.name}" rejected its params: ${describeError(error)}` });
      continue;
    }
    for (const field of required) {
      if (template.event.fields[field] !== undefined) continue;
      // Point at the param that named the field when there is one; defaults point at the detector.
      const param = Object.entries(instance.params).find(([, value]) => value === field)?.[0];
      problems.push({
        path: param === undefined ? at : `${at}.params.${param}`,
        message: `detector "${definition.meta.name}" reads field "${field}", which is not in event.fields${didYouMean(field, fieldNames)}`,
      });
    }

    if (instance.enabled) detectors.push({ id: instance.id, definition, params: parsed.data });
  }
  return { problems, detectors };
}

type Found = { definition: AnyDetectorDefinition } | { problem: { at: 'type' | 'module'; message: string } };

async function findDefinition(type: string, module: string | undefined, file: string, lookup: DetectorLookup): Promise<Found> {
  if (type !== FILE_DETECTOR_TYPE) {
    if (module !== undefined) return { problem: { at: 'module', message: `only allowed with type "${FILE_DETECTOR_TYPE}"` } };
    const definition = lookup.get(type);
    if (definition !== undefined) return { definition };
    if (type === 'rule') return { problem: { at: 'type', message: 'declarative rules go under `rules:`, not `detectors:` (see the README, "Rules")' } };
    const known = knownList([...lookup.names(), FILE_DETECTOR_TYPE]);
    return { problem: { at: 'type', message: `unknown detector type "${type}"; known: ${known}` } };
  }
  if (module === undefined) return { problem: { at: 'module', message: `required when type is "${FILE_DETECTOR_TYPE}"` } };
  return loadDetectorModule(module, file);
}

/** Imports a user detector; `specifier` is relative to the template file. */
async function loadDetectorModule(specifier: string, templateFile: string): Promise<Found> {
  const absolute = path.resolve(path.dirname(templateFile), specifier);
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = describeError(error).split('\n')[0];
    return { problem: { at: 'module', message: `cannot load "${specifier}": ${reason}` } };
  }
  const candidate = exported.default ?? exported.detector;
  if (!isDetectorDefinition(candidate)) {
    return {
      problem: {
        at: 'module',
        message: `"${specifier}" does not export a detector (expected a default export or an export named "detector" with meta and create)`,
      },
    };
  }
  return { definition: candidate };
}

function isDetectorDefinition(value: unknown): value is AnyDetectorDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { meta, create } = value as { meta?: unknown; create?: unknown };
  if (typeof create !== 'function' || typeof meta !== 'object' || meta === null) return false;
  const { name, params, requiredFields } = meta as { name?: unknown; params?: unknown; requiredFields?: unknown };
  return (
    typeof name === 'string' &&
    typeof requiredFields === 'function' &&
    typeof params === 'object' &&
    params !== null &&
    typeof (params as { safeParse?: unknown }).safeParse === 'function'
  );
}
