import { z } from 'zod';
import { didYouMean, objectKeysAt, ZOD_PARSE_OPTIONS, zodProblems } from './zod-problems.js';

const schema = z.strictObject({
  name: z.string().regex(/^[a-z]+$/, 'expected lower-case letters'),
  count: z.number().int().min(1).max(10),
  tags: z.array(z.string()).min(1),
  level: z.enum(['low', 'high']).default('low'),
  fields: z.record(z.string().regex(/^[a-z_]+$/, 'expected snake_case'), z.strictObject({ type: z.string() })),
  nested: z.strictObject({ timeout: z.number().optional() }).prefault({}),
});

function problems(input: unknown, prefix = ''): string[] {
  const parsed = schema.safeParse(input, ZOD_PARSE_OPTIONS);
  if (parsed.success) return [];
  return zodProblems(parsed.error, schema, prefix).map((problem) => `${problem.path}: ${problem.message}`);
}

describe('zodProblems', () => {
  it('renders each issue with its path and the offending value', () => {
    expect(
      problems({ name: 'Ab', count: 11.5, tags: [], level: 'hihg', fields: { Bad: { type: 'x' } }, nested: { timout: 1 } }),
    ).toEqual([
      'name: expected lower-case letters, got "Ab"',
      'count: expected an integer, got 11.5',
      'tags: expected at least 1 item',
      'level: expected one of low, high, got "hihg" (did you mean "high"?)',
      'fields.Bad: invalid name: expected snake_case',
      'nested: unknown key "timout" (did you mean "timeout"?)',
    ]);
  });

  it('says `required` for missing keys and prefixes paths', () => {
    expect(problems({ name: 'a', count: 20, tags: ['x'], fields: { ok: {} } }, 'detectors[0].params')).toEqual([
      'detectors[0].params.count: expected a number <= 10, got 20',
      'detectors[0].params.fields.ok.type: required',
    ]);
  });
});

describe('didYouMean and objectKeysAt', () => {
  it('suggests close matches and prefixes only', () => {
    expect(didYouMean('minSeverty', ['minSeverity', 'receivers'])).toBe(' (did you mean "minSeverity"?)');
    expect(didYouMean('card', ['card_id', 'amount'])).toBe(' (did you mean "card_id"?)');
    expect(didYouMean('zzz', ['card_id', 'amount'])).toBe('');
  });

  it('finds the keys of an object schema through wrappers, arrays and records', () => {
    expect(objectKeysAt(schema, [])).toEqual(['name', 'count', 'tags', 'level', 'fields', 'nested']);
    expect(objectKeysAt(schema, ['nested'])).toEqual(['timeout']);
    expect(objectKeysAt(schema, ['fields', 'any'])).toEqual(['type']);
    expect(objectKeysAt(schema, ['tags', 0])).toEqual([]);
  });
});
