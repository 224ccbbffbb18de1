/**
 * Level bands: has the series ever been this far from its long-term level? The distance of a point
 * from its long-term level, in long-term standard deviations, falls in one of a few bands `width`
 * wide (clamped to [low, high]); the bands a key has visited are bits of one number in the core's
 * state. The level and deviation are their own EWMA, at rate max(alpha, 1 / points seen), so the
 * first points of a key are measured against a plain running mean, not against its first value
 * (with the fixed rate alone, the first few points set the deviation near zero and marked the
 * outer bands visited at once).
 * A point in a band the key has never visited is new behaviour even when the calibrated score,
 * used to the key's usual surprise, does not rise: a quiet series that drifts to a level it has
 * never held, or a noisy one that falls far below anything it has done.
 *
 * It is the one part of a context (sequence) memory that helped on NAB: the first-order context,
 * the level itself. Longer contexts (the last 2–7 quantised levels) added false positives
 * (docs/anomaly-detection.md).
 */

/** Bands a state can hold: bits of one number, kept below 2^31 so bitwise operations are exact. */
export const MAX_LEVEL_BANDS = 31;

/** Every band marked visited (for a state saved before the bands existed, whose history is unknown). */
export function allBandsVisited(low: number, high: number): number {
  return 2 ** Math.min(MAX_LEVEL_BANDS, high - low + 1) - 1;
}

/** Numbers the bands keep in the core's state at `at`: visited bits, level, variance. */
export const LEVEL_BANDS_LENGTH = 3;

export interface LevelBandParams {
  /** Width of a band, in long-term standard deviations from the long-term level. */
  readonly bandWidth: number;
  /** Lowest and highest band (a farther point counts in the outermost one); at most 31 bands. */
  readonly bandLow: number;
  readonly bandHigh: number;
  /** EWMA rate of the long-term level and variance. */
  readonly alphaSlow: number;
}

/**
 * Marks the band of `value` as visited and returns whether it was new, then updates the level and
 * variance. `n` is the points the key saw before this one; `floor` the floor on the deviation.
 */
export function visitLevelBand(s: number[], at: number, p: LevelBandParams, n: number, floor: number, value: number): boolean {
  if (n === 0) s[at + 1] = value;
  const level = s[at + 1]!;
  const spread = Math.sqrt(s[at + 2]!) + floor;
  const band = Math.max(p.bandLow, Math.min(p.bandHigh, Math.floor((value - level) / (p.bandWidth * spread))));
  const bit = 1 << Math.min(MAX_LEVEL_BANDS - 1, band - p.bandLow);
  const visited = s[at]!;
  const d = value - level;
  const a = Math.max(p.alphaSlow, 1 / (n + 1));
  s[at + 1] = level + a * d;
  s[at + 2] = (1 - a) * (s[at + 2]! + a * d * d);
  if ((visited & bit) !== 0) return false;
  s[at] = visited | bit;
  return true;
}
