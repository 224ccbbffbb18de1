import type { z } from 'zod';
import { joinPath, type TemplateProblem } from './template-problems.js';

/**
 * Turns zod issues into template problems a person can act on: `required` instead of
 * "expected string, received undefined", the offending value quoted, and a "did you mean" for
 * unknown keys and enum values. Used for the template schema and for each detector's and
 * generator's own params schema (with `prefix` = where those params sit in the template).
 */
export function zodProblems(error: z.ZodError, schema: z.ZodType, prefix = ''): TemplateProblem[] {
  return error.issues.flatMap((issue) => issueProblems(issue, schema, prefix));
}

/** Parse options that make zod report the offending input, which the messages quote. */
export const ZOD_PARSE_OPTIONS = { reportInput: true } as const;

function issueProblems(issue: z.core.$ZodIssue, schema: z.ZodType, prefix: string): TemplateProblem[] {
  const path = joinPath(prefix, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeysAt(schema, issue.path);
    return issue.keys.map((key) => ({ path, message: `unknown key "${key}"${didYouMean(key, known)}` }));
  }
  return [{ path, message: issueMessage(issue) }];
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const got = `, got ${describeValue(issue.input)}`;
      if (values.length === 1) return `expected ${JSON.stringify(issue.values[0])}${got}`;
      return `expected one of ${values.join(', ')}${got}${typeof issue.input === 'string' ? didYouMean(issue.input, values) : ''}`;
    }
    case 'too_small':
      return sizeMessage('at least', issue.origin, Number(issue.minimum), issue.inclusive !== false, issue.input);
    case 'too_big':
      return sizeMessage('at most', issue.origin, Number(issue.maximum), issue.inclusive !== false, issue.input);
    case 'invalid_format':
      if (issue.format === 'url') return `expected an http(s) URL, got ${describeValue(issue.input)}`;
      return issue.input === undefined ? issue.message : `${issue.message}, got ${describeValue(issue.input)}`;
    case 'invalid_key':
      return `invalid name: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    case 'invalid_union': {
      // A discriminated union (e.g. a receiver's `type`) names its options; zod does not type them.
      const { options } = issue as { options?: unknown };
      return Array.isArray(options) ? `expected one of ${options.map(String).join(', ')}` : issue.message;
    }
    default:
      return issue.message;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function sizeMessage(bound: 'at least' | 'at most', origin: string, limit: number, inclusive: boolean, input: unknown): string {
  if (origin === 'array') return `expected ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
  if (origin === 'string') {
    return bound === 'at least' && limit === 1 ? 'expected a non-empty string' : `expected ${bound} ${limit} characters`;
  }
  const operator = bound === 'at least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `expected a number ${operator} ${limit}, got ${describeValue(input)}`;
}

/** A short rendering of a user's value for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

/** ` (did you mean "x"?)` when one candidate is close to `word`, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    // A prefix (`card` for `card_id`) is as good a hint as a one-letter typo.
    const prefix = word.length >= 3 && lower.startsWith(word.toLowerCase()) ? 1 : Infinity;
    const distance = lower === word.toLowerCase() ? 0 : Math.min(prefix, editDistance(word, candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Edit distance where swapping two adjacent letters counts as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

interface LooseDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
}

/**
 * The keys an object schema accepts at `path` (for "did you mean"). Follows zod 4's documented
 * `_zod.def` through wrappers, arrays and records; an empty list when the shape is not knowable.
 */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current === undefined) return [];
    const def = defOf(current);
    if (def.type === 'object') current = def.shape?.[String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    current = current === undefined ? undefined : unwrap(current);
  }
  const def = current === undefined ? undefined : defOf(current);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    const def = defOf(current);
    const next = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

function defOf(schema: z.ZodType): LooseDef {
  return (schema as unknown as { _zod: { def: LooseDef } })._zod.def;
}
