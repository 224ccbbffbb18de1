import { scoreSentiment } from '../sentiment/scorer.js';
import { loadVaderBaseline } from './vader-baseline.js';

export interface ThroughputResult {
  readonly texts: number;
  /** Texts per second. */
  readonly ours: number;
  readonly vader: number;
  /** ours ÷ vader. */
  readonly ratio: number;
}

/** Texts per second of `score` over `texts`, repeating whole passes until `minMs` has passed. */
function textsPerSecond(texts: readonly string[], score: (text: string) => unknown, minMs: number): number {
  let scored = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const text of texts) if (score(text) !== undefined) sink++;
    scored += texts.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (sink < 0) throw new Error('unreachable');
  return (scored / elapsed) * 1000;
}

/**
 * The scorer's throughput beside vader-sentiment's on the same texts in the same process: both
 * warmed up on the first texts, then timed over whole passes of at least `minMs` each. For the
 * eval and the bench.
 */
export function measureSentimentThroughput(texts: readonly string[], options: { minMs?: number } = {}): ThroughputResult {
  if (texts.length === 0) throw new Error('measureSentimentThroughput: no texts');
  const minMs = options.minMs ?? 2000;
  const vader = loadVaderBaseline();
  const warmUp = texts.slice(0, 500);
  textsPerSecond(warmUp, scoreSentiment, 0);
  textsPerSecond(warmUp, vader, 0);
  const ours = textsPerSecond(texts, scoreSentiment, minMs);
  const theirs = textsPerSecond(texts, vader, minMs);
  return { texts: texts.length, ours, vader: theirs, ratio: ours / theirs };
}
