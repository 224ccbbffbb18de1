import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type SentimentLabel } from '../sentiment/label.js';

/** One human-rated text of the VADER ground truth: `<id>\t<mean rating −4..+4>\t<text>`. */
export interface RatedText {
  readonly id: number;
  readonly rating: number;
  readonly text: string;
}

export interface SentimentCorpus {
  readonly name: string;
  readonly file: string;
  readonly texts: readonly RatedText[];
}

/** The two corpora of the VADER paper's 3-class evaluation, under `<dataDir>/sentiment/`. */
export const SENTIMENT_CORPORA: readonly { name: string; file: string }[] = [
  { name: 'tweets', file: 'tweets_GroundTruth.txt' },
  { name: 'movie snippets', file: 'movieReviewSnippets_GroundTruth.txt' },
];

export const SENTIMENT_DATA_HINT =
  'the VADER ground truth (tweets_GroundTruth.txt, movieReviewSnippets_GroundTruth.txt from github.com/cjhutto/vaderSentiment, additional_resources/hutto_ICWSM_2014.tar.gz) belongs in ../shared/data/sentiment/';

/** Paths of the corpora files that are absent, so the caller can refuse with one clear line. */
export function missingCorpora(dataDir: string): string[] {
  return SENTIMENT_CORPORA.map(({ file }) => path.join(dataDir, 'sentiment', file)).filter((file) => !existsSync(file));
}

export function readSentimentCorpus(dataDir: string, corpus: { name: string; file: string }): SentimentCorpus {
  const file = path.join(dataDir, 'sentiment', corpus.file);
  const texts: RatedText[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const first = line.indexOf('\t');
    const second = line.indexOf('\t', first + 1);
    const id = Number(line.slice(0, first));
    const rating = Number(line.slice(first + 1, second));
    if (first < 0 || second < 0 || !Number.isFinite(id) || !Number.isFinite(rating)) throw new Error(`${file}: not "<id>\\t<rating>\\t<text>": ${line.slice(0, 80)}`);
    texts.push({ id, rating, text: line.slice(second + 1) });
  }
  return { name: corpus.name, file, texts };
}

/** The humans' label under the paper's protocol: mean rating > 0 positive, < 0 negative, = 0 neutral. */
export function humanLabel(rating: number): SentimentLabel {
  return rating > 0 ? 'positive' : rating < 0 ? 'negative' : 'neutral';
}
