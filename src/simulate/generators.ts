import { VigilError } from '../errors/vigil-error.js';
import { zodProblems } from '../templates/zod-problems.js';
import { financeGenerator } from './finance.generator.js';
import type { EventGenerator, GeneratorDefinition } from './generator.js';

/**
 * Every simulator generator, by the name templates use in `simulator.generator`. One sorted list,
 * no folder scanning: adding a generator means adding it here.
 */
const GENERATORS: ReadonlyMap<string, GeneratorDefinition<unknown>> = new Map(
  [financeGenerator as GeneratorDefinition<unknown>].map((definition) => [definition.name, definition]),
);

export function getGenerator(name: string): GeneratorDefinition<unknown> | undefined {
  return GENERATORS.get(name);
}

export function generatorNames(): string[] {
  return [...GENERATORS.keys()].sort();
}

/**
 * Builds a generator from a template's `simulator` section. Templates are checked at load time,
 * so for a loaded template this does not throw; for other callers it throws VIGIL_TEMPLATE_INVALID.
 */
export function createGenerator(name: string, options: { readonly seed: number; readonly params: unknown }): EventGenerator {
  const definition = GENERATORS.get(name);
  if (definition === undefined) {
    throw new VigilError('VIGIL_TEMPLATE_INVALID', `simulator.generator: unknown generator "${name}"; known: ${generatorNames().join(', ')}`);
  }
  const parsed = definition.params.safeParse(options.params);
  if (!parsed.success) {
    const lines = zodProblems(parsed.error, definition.params, 'simulator.params').map((problem) => `${problem.path}: ${problem.message}`);
    throw new VigilError('VIGIL_TEMPLATE_INVALID', lines.join('\n'));
  }
  return definition.create({ seed: options.seed, params: parsed.data });
}
