import { LABEL_THRESHOLD } from '../../sentiment/index.js';

/**
 * One entity's sentiment state as ONE number array (a store value):
 *
 *     [episodes, baseMean, baseVar, basePosts, latestBucket, b0Start, b0Posts, b0Sum, b0SumSq, b0Neg, b0Pos, b1Start, ...]
 *
 * a header, then a ring of `buckets` time buckets (start −1: empty) holding the post count, the sum
 * and sum of squares of their scores, and how many were negative and positive (by the scorer's label
 * threshold). A bucket is learnt into the baseline when its ring slot is taken by a bucket a window
 * later, i.e. once it has left the window: the window is never compared with a baseline that
 * already holds it, and late posts of buckets still in the window count.
 */
export const EPISODES = 0;
export const BASE_MEAN = 1;
export const BASE_VAR = 2;
export const BASE_POSTS = 3;
export const LATEST = 4;
const HEADER = 5;
const SLOT = 6;
const START = 0;
const POSTS = 1;
const SUM = 2;
const SUM_SQ = 3;
const NEG = 4;
const POS = 5;

/** Episode bits: set while a shift in that direction has fired and not yet recovered. */
export const NEGATIVE_EPISODE = 1;
export const POSITIVE_EPISODE = 2;

export interface WindowStats {
  posts: number;
  mean: number;
  negative: number;
  positive: number;
}

export interface LearnOptions {
  readonly alpha: number;
  readonly clip: number;
  readonly minHistory: number;
}

/** A spread floor: an entity whose posts all score alike must not make every small move significant. */
export const MIN_SD = 0.1;

export function createSentimentState(buckets: number, bucket: number): number[] {
  const state = new Array<number>(HEADER + SLOT * buckets).fill(0);
  for (let i = 0; i < buckets; i++) state[HEADER + SLOT * i + START] = -1;
  state[LATEST] = bucket;
  return state;
}

/**
 * Adds a post's score to its bucket; false when the bucket is a window or more behind the entity's
 * latest (too late to count). A bucket whose slot it takes is learnt first.
 */
export function addScore(state: number[], bucketStart: number, bucketMs: number, buckets: number, score: number, learn: LearnOptions): boolean {
  const window = bucketMs * buckets;
  if (bucketStart <= state[LATEST]! - window) return false;
  if (bucketStart > state[LATEST]!) state[LATEST] = bucketStart;
  const at = HEADER + SLOT * (Math.floor(bucketStart / bucketMs) % buckets);
  if (state[at + START] !== bucketStart) {
    if (state[at + POSTS]! > 0) learnBucket(state, at, learn);
    state[at + START] = bucketStart;
    state[at + POSTS] = state[at + SUM] = state[at + SUM_SQ] = state[at + NEG] = state[at + POS] = 0;
  }
  state[at + POSTS]!++;
  state[at + SUM]! += score;
  state[at + SUM_SQ]! += score * score;
  if (score < -LABEL_THRESHOLD) state[at + NEG]!++;
  else if (score > LABEL_THRESHOLD) state[at + POS]!++;
  return true;
}

/** The window ending at the entity's latest bucket, into `out` (no allocation). */
export function windowStats(state: readonly number[], bucketMs: number, buckets: number, out: WindowStats): WindowStats {
  const oldest = state[LATEST]! - bucketMs * buckets;
  let posts = 0;
  let sum = 0;
  let negative = 0;
  let positive = 0;
  for (let at = HEADER; at < state.length; at += SLOT) {
    if (state[at + START]! <= oldest || state[at + POSTS] === 0) continue;
    posts += state[at + POSTS]!;
    sum += state[at + SUM]!;
    negative += state[at + NEG]!;
    positive += state[at + POS]!;
  }
  out.posts = posts;
  out.mean = posts > 0 ? sum / posts : 0;
  out.negative = negative;
  out.positive = positive;
  return out;
}

/** The baseline's standard deviation of one post's score, floored at MIN_SD. */
export function baselineSd(state: readonly number[]): number {
  return Math.max(MIN_SD, Math.sqrt(state[BASE_VAR]!));
}

/**
 * Folds one bucket into the baseline: an exponentially weighted mean and variance of post scores,
 * where a bucket weighs alpha (or its share of the posts while the baseline is young, which makes
 * the start a plain average). Once the baseline is established, the bucket's mean is clipped to
 * within `clip` standard errors of it, and during an episode it is learnt ten times slower, so the
 * shift being reported does not become the baseline at once, but a lasting change is, in the end.
 */
function learnBucket(state: number[], at: number, { alpha, clip, minHistory }: LearnOptions): void {
  const posts = state[at + POSTS]!;
  const bucketMean = state[at + SUM]! / posts;
  const bucketVar = Math.max(0, state[at + SUM_SQ]! / posts - bucketMean * bucketMean);
  const history = state[BASE_POSTS]!;
  const mean = state[BASE_MEAN]!;
  if (history === 0) {
    state[BASE_MEAN] = bucketMean;
    state[BASE_VAR] = bucketVar;
    state[BASE_POSTS] = posts;
    return;
  }
  let learnt = bucketMean;
  let weight = Math.max(alpha, posts / (history + posts));
  if (history >= minHistory) {
    const bound = (clip * baselineSd(state)) / Math.sqrt(posts);
    learnt = Math.min(mean + bound, Math.max(mean - bound, bucketMean));
    weight = state[EPISODES] === 0 ? alpha : alpha / 10;
  }
  const delta = learnt - mean;
  state[BASE_MEAN] = mean + weight * delta;
  state[BASE_VAR] = (1 - weight) * (state[BASE_VAR]! + weight * delta * delta) + weight * bucketVar;
  state[BASE_POSTS] = history + posts;
}
