import { isVigilError } from '../errors/vigil-error.js';
import { builtInGenerators } from '../domains/domains.js';

const registry = builtInGenerators();
const createGenerator = registry.create.bind(registry);

describe('generators registry', () => {
  it('knows every domain generator', () => {
    expect(registry.names()).toEqual(['finance', 'health', 'social']);
    expect(registry.get('finance')?.name).toBe('finance');
    expect(registry.get('banking')).toBeUndefined();
  });

  it('creates a generator with defaults for omitted params', () => {
    const generator = createGenerator('finance', { seed: 1, params: {} });
    expect(generator.next(Date.UTC(2025, 0, 1, 12)).key).toMatch(/^card_\d{7}_\d$/);
  });

  it('rejects an unknown name or bad params as VIGIL_TEMPLATE_INVALID, with template paths', () => {
    const attempt = (name: string, params: unknown): unknown => {
      try {
        createGenerator(name, { seed: 1, params });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const unknown = attempt('banking', {});
    expect(isVigilError(unknown, 'VIGIL_TEMPLATE_INVALID')).toBe(true);
    expect((unknown as Error).message).toBe('simulator.generator: unknown generator "banking"; known: finance, health, social');

    const bad = attempt('finance', { burstMinTransactions: 10, burstMaxTransactions: 5 });
    expect((bad as Error).message).toBe('simulator.params.burstMaxTransactions: expected a number >= burstMinTransactions');
  });
});
