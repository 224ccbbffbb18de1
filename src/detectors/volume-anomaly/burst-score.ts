/**
 * The short-horizon burst score: the point against the median of the key's last few points, the
 * memory of the count ÷ median-of-5 baseline used for events in live streams. It needs no learned
 * history (one previous point is enough), so it is what a key scores with while the learned model
 * is still warming up: a hashtag born with a match, or any key in its first day of buckets.
 *
 * Its state is a ring of the last `window` values after a count, kept inside the core's state array
 * at `at` (1 + window numbers).
 */

/** Reused for the median: the ring is copied here and sorted, so no point allocates. */
let scratch = new Float64Array(8);

/** What the burst score compared, for explanations. */
export interface BurstReading {
  /** The median of the recent points (the value itself when there are none). */
  reference: number;
  /** value ÷ reference, generalised to a zero or negative reference as 1 + (value − reference) / |reference|. */
  ratio: number;
}

/**
 * Scores `value` against the median of the ring's values (not yet including it), then pushes it into
 * the ring. The score is a log-logistic curve of the ratio: ½ at `ratio`, about 0.06 at no change
 * with the default slope of 4, towards 0 for drops (unless `drops`: then a fall to 1/k of the
 * reference scores as a rise to k times it), so that it ranks points exactly as the ratio does
 * and one threshold reads as one ratio. A ratio over an empty median (all zeros, then a
 * post) is infinite and scores 1.
 */
export function burstScore(s: number[], at: number, window: number, ratio: number, slope: number, drops: boolean, value: number, out: BurstReading): number {
  const count = s[at]!;
  const held = Math.min(count, window);
  let reference = value;
  if (held > 0) {
    if (scratch.length < held) scratch = new Float64Array(held);
    for (let i = 0; i < held; i++) {
      // Insertion sort: the ring holds a handful of values.
      const v = s[at + 1 + i]!;
      let j = i;
      while (j > 0 && scratch[j - 1]! > v) {
        scratch[j] = scratch[j - 1]!;
        j--;
      }
      scratch[j] = v;
    }
    const m = held >> 1;
    reference = held % 2 ? scratch[m]! : (scratch[m - 1]! + scratch[m]!) / 2;
  }
  s[at + 1 + (count % window)] = value;
  s[at] = count + 1;

  const r = value === reference ? 1 : reference === 0 ? Infinity : 1 + (value - reference) / Math.abs(reference);
  out.reference = reference;
  out.ratio = r;
  // A drop scores as the burst of the inverse ratio when asked (a ward falling silent), else near 0.
  const up = drops && r < 1 ? (r <= 0 ? Infinity : 1 / r) : r;
  if (up <= 0) return 0;
  return 1 / (1 + Math.pow(ratio / up, slope));
}
