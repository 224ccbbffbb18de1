/**
 * Count-Min sketch (Cormode and Muthukrishnan 2005) over a plain number array, so it can live in a
 * store value: `depth` rows of `width` cells starting at `offset`. An item adds to one cell per row
 * and its estimate is the smallest of its cells: never below its true (weighted) count, and above
 * it by at most e / width of the sketch's total mass with probability 1 − e^−depth. Cells may hold
 * fractions (decayed counts). Memory: depth × width numbers (8 bytes each in V8).
 *
 * The row hashes are h1 + j·h2 (Kirsch and Mitzenmacher: two hashes give independent-enough rows),
 * both computed in one pass over the item's UTF-16 code units.
 */
export interface CountMinShape {
  readonly depth: number;
  readonly width: number;
}

/** The cells of one item, reused by every call (the sketch runs one item at a time). */
const cellBuffer: number[] = [];

function cellsOf(item: string, shape: CountMinShape): number[] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 = (h2 | 1) >>> 0;
  for (let j = 0; j < shape.depth; j++) cellBuffer[j] = j * shape.width + (((h1 + Math.imul(j, h2)) >>> 0) % shape.width);
  return cellBuffer;
}

/** Adds `amount` to `item` in the sketch at `offset` of `cells`. */
export function addCountMin(cells: number[], offset: number, shape: CountMinShape, item: string, amount: number): void {
  const at = cellsOf(item, shape);
  for (let j = 0; j < shape.depth; j++) cells[offset + at[j]!]! += amount;
}

/** The estimate of `item`: the smallest of its cells (an upper bound on its true count). */
export function estimateCountMin(cells: readonly number[], offset: number, shape: CountMinShape, item: string): number {
  const at = cellsOf(item, shape);
  let min = Infinity;
  for (let j = 0; j < shape.depth; j++) min = Math.min(min, cells[offset + at[j]!]!);
  return min;
}

/** Multiplies every cell by `factor` (decay), in place. */
export function scaleCountMin(cells: number[], offset: number, shape: CountMinShape, factor: number): void {
  const end = offset + shape.depth * shape.width;
  for (let i = offset; i < end; i++) cells[i]! *= factor;
}
