/**
 * Array surgery for per-key state that may sit in a store a million times over. `splice` and `push`
 * grow V8's backing store by half again plus 16 slots, which would triple a 5-number value, so every
 * structural change here allocates a new array of exactly the needed length instead. The cost is
 * O(length), which the callers pay anyway: their arrays are bounded by a bucket or pane count.
 */

/** A copy of `state` with `remove` items at `at` replaced by `insert`, allocated to exact size. */
export function replaceRange<T>(state: readonly T[], at: number, remove: number, insert: readonly T[] = []): T[] {
  const length = state.length - remove + insert.length;
  const out = new Array<T>(length);
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
