/** The value at `path` (object keys, outermost first) in a JSON document; undefined when any step is missing. */
export function readPath(document: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = document;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
