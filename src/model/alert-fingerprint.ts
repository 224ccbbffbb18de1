import { createHash } from 'node:crypto';

/**
 * Groups repeated alerts about the same thing. Stable across processes and versions (receivers
 * and ClickHouse group on it), so the input encoding must never change: a JSON array makes the
 * parts unambiguous ("a", "b.c" ≠ "a.b", "c").
 */
export function fingerprint(template: string, detector: string, entity: string): string {
  return createHash('sha256').update(JSON.stringify([template, detector, entity])).digest('hex').slice(0, 16);
}
