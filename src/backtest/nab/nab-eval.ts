import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAnomalyState, updateAnomaly, type AnomalyCoreParams } from '../../detectors/volume-anomaly/anomaly-core.js';
import { DEFAULT_CORE_PARAMS } from '../../detectors/volume-anomaly/anomaly-defaults.js';
import { isVigilError } from '../../errors/vigil-error.js';
import { DEFAULT_MUNLIV, evaluateMatch, formatMatch } from '../trend/munliv-eval.js';
import { DEFAULT_NAB_ROOT, loadNabCorpus, readPublishedScores, type NabCorpus } from './nab-corpus.js';
import { NAB_PROFILES, type NabProfile } from './nab-profiles.js';
import { scoreAllProfiles, scoreProfile, type ProfileResult } from './nab-score.js';

/** Runs the core over every file of the corpus, one point at a time, a fresh state per file. */
export function scoreCorpusWithCore(corpus: NabCorpus, params: AnomalyCoreParams = DEFAULT_CORE_PARAMS): Float64Array[] {
  return corpus.files.map((file) => {
    const state = createAnomalyState(params);
    const out = new Float64Array(file.values.length);
    for (let i = 0; i < out.length; i++) out[i] = updateAnomaly(state, params, file.timestamps[i]!, file.values[i]!);
    return out;
  });
}

export interface NabEvaluation {
  /** Our detector, one threshold per profile swept over the whole corpus (NAB's rule). */
  readonly ours: ProfileResult[];
  /** realTweets alone, standard profile, with the threshold swept on realTweets alone. */
  readonly tweets: ProfileResult;
  /** realTweets alone at the corpus-wide standard threshold. */
  readonly tweetsAtCorpusThreshold: ProfileResult;
  /** Numenta HTM's published scores rescored here with NAB's published thresholds (the scorer's check). */
  readonly numenta?: ProfileResult[];
  readonly points: number;
  readonly seconds: number;
}

const isTweets = (name: string): boolean => name.startsWith('realTweets/');

export function evaluateNab(root: string = DEFAULT_NAB_ROOT, params: AnomalyCoreParams = DEFAULT_CORE_PARAMS): NabEvaluation {
  const corpus = loadNabCorpus(root);
  const started = performance.now();
  const scores = scoreCorpusWithCore(corpus, params);
  const seconds = (performance.now() - started) / 1000;
  const ours = scoreAllProfiles(corpus, scores);
  const tweets = scoreProfile(corpus, scores, 'standard', { only: isTweets });
  const tweetsAtCorpusThreshold = scoreProfile(corpus, scores, 'standard', { only: isTweets, threshold: ours[0]!.threshold });
  let numenta: ProfileResult[] | undefined;
  const thresholdsFile = path.join(root, 'config', 'thresholds.json');
  if (existsSync(path.join(root, 'results', 'numenta')) && existsSync(thresholdsFile)) {
    const published = JSON.parse(readFileSync(thresholdsFile, 'utf8')) as Record<string, Record<NabProfile, { threshold: number }>>;
    const t = Object.fromEntries(NAB_PROFILES.map((p) => [p, published.numenta![p].threshold]));
    numenta = scoreAllProfiles(corpus, readPublishedScores(corpus, 'numenta'), t);
  }
  const points = corpus.files.reduce((n, f) => n + f.values.length, 0);
  return { ours, tweets, tweetsAtCorpusThreshold, numenta, points, seconds };
}

export function formatNab(e: NabEvaluation): string {
  const line = (r: ProfileResult): string =>
    `${r.profile.padEnd(20)} ${r.normalized.toFixed(2).padStart(6)}  (threshold ${r.threshold.toFixed(4)}, ${r.detectedWindows}/${r.windows} windows, ${r.falsePositiveRows} FP rows)`;
  const out = [
    `NAB v1.1, ${e.points} points scored in ${e.seconds.toFixed(2)} s (${Math.round(e.points / e.seconds)} points/s), one parameter set, no look-ahead`,
    'volume-anomaly:',
    ...e.ours.map((r) => `  ${line(r)}`),
    `  realTweets alone    ${e.tweets.normalized.toFixed(2).padStart(6)}  (own threshold ${e.tweets.threshold.toFixed(4)}; ${e.tweetsAtCorpusThreshold.normalized.toFixed(2)} at the corpus threshold)`,
    'published, for reference: ARTime 74.9, Numenta HTM 70.1, CAD-OSE 69.9; contextOSE on realTweets 74.5',
  ];
  if (e.numenta) out.push(`scorer check, Numenta HTM at NAB's thresholds: ${e.numenta.map((r) => r.normalized.toFixed(2)).join(' / ')} (published 70.10 / 63.12 / 74.32)`);
  return `${out.join('\n')}\n`;
}

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? DEFAULT_NAB_ROOT);
  process.stdout.write(formatNab(evaluateNab(root)));
  process.stdout.write('\n');
  process.stdout.write(formatMatch(evaluateMatch(path.resolve(process.argv[3] ?? DEFAULT_MUNLIV))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`eval:nab: ${isVigilError(error) ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = isVigilError(error) ? 2 : 1;
  });
}
