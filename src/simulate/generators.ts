import { VigilError } from '../errors/vigil-error.js';
import { zodProblems } from '../model/template/zod-problems.js';
import type { EventGenerator, GeneratorDefinition } from './generator.js';

/** What the template loader needs to check a template's `simulator` section. */
export interface GeneratorLookup {
  get(name: string): GeneratorDefinition<unknown> | undefined;
  names(): string[];
}

/**
 * Simulator generators by the name templates use in `simulator.generator`. The built-in list is
 * assembled from the domains (src/domains/domains.ts): no folder scanning.
 */
export class GeneratorRegistry implements GeneratorLookup {
  private readonly byName = new Map<string, GeneratorDefinition<unknown>>();

  constructor(definitions: readonly GeneratorDefinition<unknown>[]) {
    for (const definition of definitions) {
      if (this.byName.has(definition.name)) throw new Error(`generator "${definition.name}" registered twice`);
      this.byName.set(definition.name, definition);
    }
  }

  get(name: string): GeneratorDefinition<unknown> | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /**
   * Builds a generator from a template's `simulator` section. Templates are checked at load time,
   * so for a loaded template this does not throw; for other callers it throws VIGIL_TEMPLATE_INVALID.
   */
  create(name: string, options: { readonly seed: number; readonly params: unknown }): EventGenerator {
    const definition = this.byName.get(name);
    if (definition === undefined) {
      throw new VigilError('VIGIL_TEMPLATE_INVALID', `simulator.generator: unknown generator "${name}"; known: ${this.names().join(', ')}`);
    }
    const parsed = definition.params.safeParse(options.params);
    if (!parsed.success) {
      const lines = zodProblems(parsed.error, definition.params, 'simulator.params').map((problem) => `${problem.path}: ${problem.message}`);
      throw new VigilError('VIGIL_TEMPLATE_INVALID', lines.join('\n'));
    }
    return definition.create({ seed: options.seed, params: parsed.data });
  }
}
