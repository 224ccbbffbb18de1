/**
 * Names that detectors use as property keys (`event.fields[params.key]`), made V8-internalized.
 *
 * A string parsed from YAML or JSON may be a plain (sliced or cons) copy. Optimized code checks a
 * keyed access's name by identity against the internalized name it has seen, so a non-internalized
 * 'amount' failed that check on every event: deoptimize, optimize again, in a loop ("unexpected
 * name in keyed access" thousands of times in one replay with --trace-deopt). Whether it happened
 * depended on compilation timing, so replay speed varied from run to run (docs/performance.md).
 * Property keys are always internalized, so a key read back from an object is.
 */
export function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0]!;
}

/** A copy of parsed data (plain objects, arrays, scalars) with every string internalized. */
export function internalizeStrings(value: unknown): unknown {
  if (typeof value === 'string') return internalized(value);
  if (Array.isArray(value)) return value.map(internalizeStrings);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, internalizeStrings(v)]));
  }
  return value;
}
