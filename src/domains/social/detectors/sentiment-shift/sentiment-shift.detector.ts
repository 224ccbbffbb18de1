import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { formatDuration } from '../../../../model/template/duration.js';
import { scoreSentiment } from '../../sentiment/index.js';
import { extremeIds, offerExtreme, pruneExtremes, type ExtremePosts } from './extreme-posts.js';
import { sentimentShiftParams, type SentimentShiftParams } from './sentiment-shift.params.js';
import {
  addScore, BASE_MEAN, BASE_POSTS, baselineSd, createSentimentState, EPISODES, LATEST, NEGATIVE_EPISODE, POSITIVE_EPISODE,
  windowStats, type LearnOptions, type WindowStats,
} from './sentiment-window.js';

/** Store of each entity's window and baseline: one number array (sentiment-window.ts). */
export const SENTIMENT_STORE = 'sentiment';
/** Stores of each entity's most negative and most positive posts in the window (extreme-posts.ts). */
export const LOWEST_STORE = 'lowest';
export const HIGHEST_STORE = 'highest';
/** Text beyond this is not scored: a post is far shorter, and a 1 MB one must not stall the partition. */
export const MAX_SCORED_TEXT = 10_000;

/**
 * Sentiment shift: per entity (brand, topic, account), the mean sentiment of its posts over a
 * rolling event-time window against the entity's own baseline, so "negative sentiment about brand X
 * is spiking" fires once, naming the posts that drove it.
 *
 * Every post is scored by the project's scorer (sentiment/, score in [-1, 1]; a post without text,
 * or whose text is not a string, scores 0, neutral, and still counts as volume; only the first
 * MAX_SCORED_TEXT characters are scored) and published as the signal `score`. Posts are summed per
 * time bucket; the window is the last window / bucket buckets. A bucket that leaves the window is
 * learnt into the baseline, a robust exponentially weighted mean and variance of post scores
 * (sentiment-window.ts). Once the baseline has `minHistory` posts and the window `minPosts`, the
 * shift (window mean − baseline mean) fires when it is at least `minShift` and `z` standard errors
 * (baseline sd / √posts) in the watched direction. Hysteresis: a direction that fired stays quiet
 * until the shift is back within recovery × minShift; the episode also slows the baseline's learning.
 *
 * State per entity: 5 + 6 × buckets numbers (95 for 15 one-minute buckets: about 800 bytes) and up
 * to maxPosts [id, score, bucket] triples per watched direction.
 */
export const sentimentShiftDetector = defineDetector<SentimentShiftParams>({
  meta: {
    name: 'sentiment_shift',
    version: '1.0.0',
    description: 'Mean post sentiment per entity over a rolling window against its own robust baseline, once per episode',
    params: sentimentShiftParams,
    requiredFields: (p) => [p.key, p.textField],
    stateTtl: (p) => Math.max(p.ttl, 2 * p.window),
  },
  create(context: DetectorContext, params: SentimentShiftParams): DetectorInstance {
    const states = context.store<number[]>(SENTIMENT_STORE);
    const lowest = context.store<ExtremePosts>(LOWEST_STORE);
    const highest = context.store<ExtremePosts>(HIGHEST_STORE);
    const buckets = params.window / params.bucket;
    const learn: LearnOptions = { alpha: params.alpha, clip: params.clip, minHistory: params.minHistory };
    const watchNegative = params.direction !== 'positive';
    const watchPositive = params.direction !== 'negative';
    const stats: WindowStats = { posts: 0, mean: 0, negative: 0, positive: 0 };

    function keepExtreme(store: typeof lowest, key: string, sign: 1 | -1, event: VigilEvent, score: number, bucket: number, oldest: number): void {
      const list = store.get(key) ?? [];
      const pruned = pruneExtremes(list, oldest);
      if (offerExtreme(list, params.maxPosts, sign, event.id, score, bucket) || pruned) store.put(key, list);
    }

    function judge(key: string, state: number[], sign: 1 | -1, bit: number, event: VigilEvent, shift: number, z: number): void {
      const inEpisode = (state[EPISODES]! & bit) !== 0;
      if (inEpisode) {
        if (shift * sign < params.recovery * params.minShift) state[EPISODES] = state[EPISODES]! & ~bit;
        return;
      }
      if (shift * sign < params.minShift || z * sign < params.z) return;
      state[EPISODES] = state[EPISODES]! | bit;
      const direction = sign < 0 ? 'negative' : 'positive';
      const baseline = state[BASE_MEAN]!;
      const extremes = (sign < 0 ? lowest : highest).get(key) ?? [];
      context.emit({
        entity: key,
        severity: params.severity,
        kind: `sentiment.shift.${direction}`,
        title:
          `Sentiment about ${key} turned ${direction}: mean ${signed(stats.mean)} over ${formatDuration(params.window)} (${stats.posts} posts) ` +
          `against ${signed(baseline)} usually (shift ${signed(shift)}, z ${signed(z, 1)})`,
        score: Math.min(1, Math.abs(z) / (2 * params.z)),
        windowStart: state[LATEST]! + params.bucket - params.window,
        windowEnd: event.time,
        values: {
          window_mean: round3(stats.mean),
          baseline_mean: round3(baseline),
          baseline_sd: round3(baselineSd(state)),
          shift: round3(shift),
          z: round2(z),
          posts: stats.posts,
          negative_share: round3(stats.negative / stats.posts),
          positive_share: round3(stats.positive / stats.posts),
          history: state[BASE_POSTS]!,
        },
        thresholds: { min_shift: params.minShift, z: params.z, min_posts: params.minPosts, min_history: params.minHistory },
        eventIds: extremes.length > 0 ? extremeIds(extremes) : [event.id],
      });
    }

    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        if (keyValue === null || keyValue === undefined || keyValue === '' || Array.isArray(keyValue)) return;
        const key = String(keyValue);
        const text = event.fields[params.textField];
        const score = typeof text === 'string' ? scoreSentiment(text.length > MAX_SCORED_TEXT ? text.slice(0, MAX_SCORED_TEXT) : text).score : 0;
        context.signal('score', score);
        const bucket = Math.floor(event.time / params.bucket) * params.bucket;
        const state = states.get(key) ?? createSentimentState(buckets, bucket);
        if (!addScore(state, bucket, params.bucket, buckets, score, learn)) return;
        const oldest = state[LATEST]! - params.window;
        if (watchNegative) keepExtreme(lowest, key, -1, event, score, bucket, oldest);
        if (watchPositive) keepExtreme(highest, key, 1, event, score, bucket, oldest);
        windowStats(state, params.bucket, buckets, stats);
        if (stats.posts >= params.minPosts && state[BASE_POSTS]! >= params.minHistory) {
          const shift = stats.mean - state[BASE_MEAN]!;
          const z = shift / (baselineSd(state) / Math.sqrt(stats.posts));
          context.signal('shift', shift);
          context.signal('z', z);
          if (watchNegative) judge(key, state, -1, NEGATIVE_EPISODE, event, shift, z);
          if (watchPositive) judge(key, state, 1, POSITIVE_EPISODE, event, shift, z);
        }
        states.put(key, state);
      },
    };
  },
});

function signed(n: number, digits = 2): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
