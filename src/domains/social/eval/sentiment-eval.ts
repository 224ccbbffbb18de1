import { sentimentLabel } from '../sentiment/label.js';
import { scoreSentiment } from '../sentiment/scorer.js';
import { pearson, weightedF1 } from './classification-metrics.js';
import { type SocialEvalPart } from './eval-part.js';
import { humanLabel, missingCorpora, type RatedText, readSentimentCorpus, SENTIMENT_CORPORA, SENTIMENT_DATA_HINT } from './sentiment-corpus.js';
import { measureSentimentThroughput, type ThroughputResult } from './sentiment-throughput.js';
import { loadVaderBaseline } from './vader-baseline.js';

/**
 * Which texts a row measures. The scorer's rules and word tables were developed looking only at
 * the development split (ids divisible by 5) of each corpus; `held-out` is the rest, never looked
 * at before the final run, and is the honest number. `all` is the paper's whole-corpus protocol.
 */
export type Split = 'all' | 'held-out' | 'development';

export function inSplit(split: Split, id: number): boolean {
  if (split === 'all') return true;
  return split === 'development' ? id % 5 === 0 : id % 5 !== 0;
}

export interface SentimentEvalRow {
  readonly corpus: string;
  readonly split: Split;
  readonly texts: number;
  readonly oursF1: number;
  readonly vaderF1: number;
  readonly oursR: number;
  readonly vaderR: number;
}

export interface SentimentEvalResult {
  readonly rows: readonly SentimentEvalRow[];
  readonly throughput: ThroughputResult;
}

function measure(corpus: string, split: Split, texts: readonly RatedText[], ours: readonly number[], vader: readonly number[]): SentimentEvalRow {
  const pick = texts.map((t, i) => (inSplit(split, t.id) ? i : -1)).filter((i) => i >= 0);
  const truth = pick.map((i) => humanLabel(texts[i]!.rating));
  const ratings = pick.map((i) => texts[i]!.rating);
  const o = pick.map((i) => ours[i]!);
  const v = pick.map((i) => vader[i]!);
  return {
    corpus,
    split,
    texts: pick.length,
    oursF1: weightedF1(truth, o.map(sentimentLabel)),
    vaderF1: weightedF1(truth, v.map(sentimentLabel)),
    oursR: pearson(o, ratings),
    vaderR: pearson(v, ratings),
  };
}

/**
 * The VADER paper's 3-class protocol on its tweets and movie snippets, for our scorer and the npm
 * vader-sentiment package on the same texts, then both scorers' throughput on all the texts.
 */
export function runSentimentEval(dataDir: string, options: { splits: readonly Split[]; throughputMs?: number }): SentimentEvalResult {
  const vader = loadVaderBaseline();
  const rows: SentimentEvalRow[] = [];
  const allTexts: string[] = [];
  for (const spec of SENTIMENT_CORPORA) {
    const corpus = readSentimentCorpus(dataDir, spec);
    const ours = corpus.texts.map((t) => scoreSentiment(t.text).score);
    const theirs = corpus.texts.map((t) => vader(t.text));
    for (const split of options.splits) rows.push(measure(corpus.name, split, corpus.texts, ours, theirs));
    for (const t of corpus.texts) if (options.splits.some((split) => inSplit(split, t.id))) allTexts.push(t.text);
  }
  const throughput = measureSentimentThroughput(allTexts, { minMs: options.throughputMs });
  return { rows, throughput };
}

export function formatSentimentEval(result: SentimentEvalResult): string {
  const lines = [
    'Sentiment: 3-class weighted F1 (score > 0.05 positive, < -0.05 negative; humans: mean rating > 0 / < 0 / = 0), Pearson r with the mean rating',
    `${'corpus'.padEnd(16)}${'split'.padEnd(13)}${'texts'.padStart(6)}${'F1 ours'.padStart(9)}${'F1 VADER'.padStart(10)}${'r ours'.padStart(8)}${'r VADER'.padStart(9)}`,
  ];
  for (const row of result.rows) {
    lines.push(
      `${row.corpus.padEnd(16)}${row.split.padEnd(13)}${String(row.texts).padStart(6)}${row.oursF1.toFixed(3).padStart(9)}${row.vaderF1.toFixed(3).padStart(10)}${row.oursR.toFixed(3).padStart(8)}${row.vaderR.toFixed(3).padStart(9)}`,
    );
  }
  lines.push(
    'One parameter set for both corpora; nothing was fitted to either. Rules and word tables were developed looking only at the development split (ids divisible by 5): held-out is the honest number.',
    `Throughput on the same ${result.throughput.texts} texts, same process: ours ${Math.round(result.throughput.ours)} texts/s, vader-sentiment ${Math.round(result.throughput.vader)} texts/s, ratio ${result.throughput.ratio.toFixed(1)}x`,
  );
  return lines.join('\n');
}

export const sentimentEvalPart: SocialEvalPart = {
  name: 'sentiment',
  missingData(dataDir) {
    const missing = missingCorpora(dataDir);
    return missing.length === 0 ? undefined : `${missing.join(', ')} not found: ${SENTIMENT_DATA_HINT}`;
  },
  run(dataDir, { dev }) {
    return formatSentimentEval(runSentimentEval(dataDir, { splits: dev ? ['development'] : ['all', 'held-out'] }));
  },
};
