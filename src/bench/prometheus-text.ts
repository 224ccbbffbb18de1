/**
 * Sum of the samples of metric `name` in a Prometheus text exposition whose labels include every
 * one of `labels` (0 when there are none). Enough for the counters and gauges Vigil's registry
 * writes: `name{a="x",b="y"} value` lines; histogram series (`_bucket`, `_sum`) are other names.
 */
export function sumSamples(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    const braces = /^\{(.*)\}\s+(\S+)/.exec(rest);
    const bare = /^\s+(\S+)/.exec(rest);
    const value = braces ? Number(braces[2]) : bare ? Number(bare[1]) : Number.NaN;
    if (!Number.isFinite(value)) continue;
    const found = braces ? parseLabels(braces[1]!) : {};
    if (Object.entries(labels).every(([key, wanted]) => found[key] === wanted)) sum += value;
  }
  return sum;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = match[2]!.replace(/\\(.)/g, '$1');
  return labels;
}
