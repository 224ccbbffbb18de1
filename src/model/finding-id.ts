import { createHash } from 'node:crypto';

/**
 * Ids derived only from the input, so re-processing the same events after a crash or in a
 * backtest yields the same ids, and downstream stages can recognise repeats.
 */
export function stableId(prefix: string, ...parts: readonly (string | number)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part)).update('\u0000');
  return `${prefix}_${hash.digest('hex').slice(0, 24)}`;
}
