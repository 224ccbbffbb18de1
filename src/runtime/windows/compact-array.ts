/**
 * Array surgery for per-key state that may sit in a store a million times over. `splice` and `push`
 * grow V8's backing store by half again plus 16 slots, which would triple a 5-number value, so every
 * structural change here allocates a new array of exactly the needed length instead. The cost is
 * O(length), which the callers pay anyway: their arrays are bounded by a bucket or pane count.
 */

/** A copy of `state` with `remove` items at `at` replaced by `insert`, allocated to exact size. */
export function replaceRange<T>(state: readonly T[], at: number, remove: number, insert: readonly T[] = []): T[] {
  const length = state.length - remove + insert.length;
  const out = allocLike(state, length);
  let o = 0;
  for (let i = 0; i < at; i++) out[o++] = state[i]!;
  for (const item of insert) out[o++] = item;
  for (let i = at + remove; i < state.length; i++) out[o++] = state[i]!;
  return out;
}

/**
 * Index of the first record whose first item (a time) is >= `time`, among records of `stride` items
 * laid out from `from` up to `end` (exclusive) and sorted by that time; `end` when there is none.
 */
export function lowerBound(state: readonly (number | string)[], from: number, end: number, stride: number, time: number): number {
  let i = from;
  while (i < end && (state[i] as number) < time) i += stride;
  return i;
}

/**
 * A copy of `state` without the items in [dropFrom, dropTo) and with `gap` zeros opened before item
 * `at` (at >= dropTo), allocated to exact size: expiring records and inserting one cost a single
 * array instead of two and a temporary.
 */
export function dropAndOpen(state: readonly number[], dropFrom: number, dropTo: number, at: number, gap: number): number[] {
  const out = allocLike(state, state.length - (dropTo - dropFrom) + gap);
  let o = 0;
  for (let i = 0; i < dropFrom; i++) out[o++] = state[i]!;
  for (let i = dropTo; i < at; i++) out[o++] = state[i]!;
  for (let i = 0; i < gap; i++) out[o++] = 0;
  for (let i = at; i < state.length; i++) out[o++] = state[i]!;
  return out;
}

/** Zeros to grow a copy by, per length: read only (`concat` copies them). */
const zeros: number[][] = [];

/**
 * An array of exactly `length` items (to be overwritten) in the element representation `state`
 * has. `new Array(n)` starts with small-integer elements, so the first time or fraction written
 * into it (nearly every number state holds) converts them to unboxed doubles in a second array
 * of the same size; a copy of `state` is already in the representation it will hold.
 */
function allocLike<T>(state: readonly T[], length: number): T[] {
  if (length <= state.length) return state.slice(0, length);
  const extra = length - state.length;
  const pad = (zeros[extra] ??= new Array<number>(extra).fill(0));
  return state.concat(pad as T[]);
}
