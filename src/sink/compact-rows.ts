import { VigilError } from '../errors/vigil-error.js';
import type { Row } from './row-mappers.js';

/**
 * Rows for JSONCompactEachRow: one JSON array per row, in the insert's column order. Values are
 * what JSON.stringify makes of them; the row mappers only produce JSON-safe values (finite numbers,
 * strings, booleans, null, string arrays, string→number maps).
 */

/**
 * Throws VIGIL_SINK_WRITE (not retryable) when a row's length differs from the column count: a bug
 * in its mapper, refused before ClickHouse fails the whole batch on it.
 */
export function checkRowWidths(rows: readonly Row[], columnCount: number): void {
  for (const row of rows) {
    if (row.length !== columnCount) {
      throw new VigilError('VIGIL_SINK_WRITE', `a row has ${row.length} values for ${columnCount} columns`, { retryable: false });
    }
  }
}

/** The payload: each row on its own line (JSON text never contains a raw newline). */
export function encodeCompactRows(rows: readonly Row[]): Buffer {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return Buffer.from(text, 'utf8');
}
