import type { NabCorpus } from './nab-corpus.js';
import { NAB_PROFILES, type NabProfile } from './nab-profiles.js';
import { bestThreshold, scoreAtThreshold, sweepFile, windowRows, type SweptFile } from './sweeper.js';

export interface ProfileResult {
  readonly profile: NabProfile;
  readonly threshold: number;
  /** Summed raw score over the files scored. */
  readonly raw: number;
  /** 100 · (raw − null) / (perfect − null): 0 is the null detector, 100 a perfect one. */
  readonly normalized: number;
  readonly detectedWindows: number;
  readonly windows: number;
  readonly falsePositiveRows: number;
}

/**
 * NAB's normalisation: the null detector (never detects) scores −fnWeight per window, a perfect one
 * +tpWeight per window (a detection on each window's first row).
 */
export function normalize(raw: number, windows: number, tpWeight: number, fnWeight: number): number {
  const nullScore = -windows * fnWeight;
  const perfect = windows * tpWeight;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** Prepares each file of the corpus for a profile (the sweep scores depend on the cost matrix). */
export function sweepCorpus(corpus: NabCorpus, scores: readonly Float64Array[], profile: NabProfile, only?: (name: string) => boolean): SweptFile[] {
  const costs = corpus.profiles[profile];
  const out: SweptFile[] = [];
  corpus.files.forEach((file, i) => {
    if (only && !only(file.name)) return;
    out.push(sweepFile(file.name, scores[i]!, windowRows(file.timestamps, file.windows), costs));
  });
  return out;
}

/** Scores a detector at a given threshold, or at the corpus-wide best one when none is given. */
export function scoreProfile(
  corpus: NabCorpus,
  scores: readonly Float64Array[],
  profile: NabProfile,
  options: { threshold?: number; only?: (name: string) => boolean } = {},
): ProfileResult {
  const costs = corpus.profiles[profile];
  const files = sweepCorpus(corpus, scores, profile, options.only);
  const threshold = options.threshold ?? bestThreshold(files, costs).threshold;
  let raw = 0;
  let detected = 0;
  let windows = 0;
  let fp = 0;
  for (const file of files) {
    const s = scoreAtThreshold(file, threshold, costs);
    raw += s.score;
    detected += s.detectedWindows;
    windows += s.windows;
    fp += s.fpRows;
  }
  return {
    profile,
    threshold,
    raw,
    normalized: normalize(raw, windows, costs.tpWeight, costs.fnWeight),
    detectedWindows: detected,
    windows,
    falsePositiveRows: fp,
  };
}

export function scoreAllProfiles(
  corpus: NabCorpus,
  scores: readonly Float64Array[],
  thresholds?: Partial<Record<NabProfile, number>>,
  only?: (name: string) => boolean,
): ProfileResult[] {
  return NAB_PROFILES.map((p) => scoreProfile(corpus, scores, p, { threshold: thresholds?.[p], only }));
}
