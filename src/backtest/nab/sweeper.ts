import type { CostMatrix } from './nab-profiles.js';
import { scaledSigmoid } from './scaled-sigmoid.js';

/** Window index of a row that is in NAB's probationary period (never scored). */
export const PROBATIONARY = -2;
/** Window index of a row outside every labelled window. */
export const OUTSIDE = -1;

/**
 * One data file prepared for scoring, the port of NAB's `Sweeper.calcSweepScore`: for every row,
 * what a detection there would be worth (`sweepScore`) and which window it falls in (`window`,
 * or OUTSIDE / PROBATIONARY). Detection scores are kept beside them so a threshold sweep can
 * sort all rows of the corpus at once.
 */
export interface SweptFile {
  readonly name: string;
  readonly anomalyScores: Float64Array;
  readonly sweepScores: Float64Array;
  readonly window: Int32Array;
  /** Windows that have at least one scorable row: each costs -fnWeight unless detected. */
  readonly scoredWindows: number;
  /** All labelled windows of the file, scored or not. */
  readonly windowCount: number;
}

/** A labelled window as row indices into the file, inclusive (NAB's limits are row timestamps). */
export interface WindowRows {
  readonly start: number;
  readonly end: number;
}

/** NAB's probationary length: 15 % of the rows, at most 750 (0.15 · 5000). */
export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/**
 * Maps window limits given as timestamps to row indices, as NAB does: a window starts at the row
 * whose timestamp equals its start and ends at the row whose timestamp equals its end.
 */
export function windowRows(timestamps: ArrayLike<number>, limits: readonly (readonly [number, number])[]): WindowRows[] {
  const index = new Map<number, number>();
  for (let i = 0; i < timestamps.length; i++) if (!index.has(timestamps[i]!)) index.set(timestamps[i]!, i);
  return limits.map(([start, end]) => {
    const s = index.get(start);
    const e = index.get(end);
    if (s === undefined || e === undefined) throw new Error(`window [${start}, ${end}] does not match row timestamps`);
    return { start: s, end: e };
  });
}

export function sweepFile(name: string, anomalyScores: Float64Array, windows: readonly WindowRows[], costs: CostMatrix): SweptFile {
  const n = anomalyScores.length;
  const sweepScores = new Float64Array(n);
  const window = new Int32Array(n);
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(n);
  let next = 0;
  let current = -1;
  let currentWidth = 0;
  let prevRight = -1;
  let prevWidth = 0;
  const scored = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (next < windows.length && i === windows[next]!.start) {
      current = next++;
      currentWidth = windows[current]!.end - windows[current]!.start + 1;
    }
    if (current >= 0) {
      // NAB's `+ 1` is kept: a detection on the window's last row is worth scaledSigmoid(-1/width).
      const position = -(windows[current]!.end - i + 1) / currentWidth;
      sweepScores[i] = (scaledSigmoid(position) * costs.tpWeight) / maxTp;
    } else {
      const position = prevRight < 0 ? 3 : Math.abs(prevRight - i) / (prevWidth - 1);
      sweepScores[i] = scaledSigmoid(position) * costs.fpWeight;
    }
    if (i < probation) window[i] = PROBATIONARY;
    else {
      window[i] = current >= 0 ? current : OUTSIDE;
      if (current >= 0) scored.add(current);
    }
    if (current >= 0 && i === windows[current]!.end) {
      prevRight = i;
      prevWidth = currentWidth;
      current = -1;
    }
  }
  return { name, anomalyScores, sweepScores, window, scoredWindows: scored.size, windowCount: windows.length };
}

/** The raw score of one file at a threshold (detections are rows with anomaly score ≥ threshold). */
export function scoreAtThreshold(file: SweptFile, threshold: number, costs: CostMatrix): FileScore {
  const best = new Map<number, number>();
  let fpScore = 0;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < file.anomalyScores.length; i++) {
    const w = file.window[i]!;
    if (w === PROBATIONARY || file.anomalyScores[i]! < threshold) continue;
    if (w === OUTSIDE) {
      fpScore += file.sweepScores[i]!;
      fp++;
    } else {
      tp++;
      const prior = best.get(w);
      if (prior === undefined || file.sweepScores[i]! > prior) best.set(w, file.sweepScores[i]!);
    }
  }
  let windowScore = -costs.fnWeight * (file.scoredWindows - best.size);
  for (const value of best.values()) windowScore += value;
  return { score: windowScore + fpScore, detectedWindows: best.size, windows: file.scoredWindows, tpRows: tp, fpRows: fp };
}

export interface FileScore {
  readonly score: number;
  readonly detectedWindows: number;
  readonly windows: number;
  readonly tpRows: number;
  readonly fpRows: number;
}

export interface ThresholdScore {
  readonly threshold: number;
  readonly score: number;
}

/**
 * NAB's threshold sweep (`Sweeper.calcScoreByThreshold` over the whole corpus, as the optimizer
 * runs it): rows of every file sorted by anomaly score, highest first; at each distinct score the
 * corpus's summed raw score if that score were the threshold. Returns the best one (the highest
 * threshold among ties, as NAB's first maximum in descending order).
 */
export function bestThreshold(files: readonly SweptFile[], costs: CostMatrix): ThresholdScore {
  let total = 0;
  for (const f of files) total += f.anomalyScores.length;
  const order = new Uint32Array(total);
  const fileOf = new Uint16Array(total);
  const scores = new Float64Array(total);
  let k = 0;
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    for (let i = 0; i < file.anomalyScores.length; i++) {
      if (file.window[i] === PROBATIONARY) continue;
      order[k] = i;
      fileOf[k] = f;
      scores[k] = file.anomalyScores[i]!;
      k++;
    }
  }
  const idx = new Uint32Array(k);
  for (let i = 0; i < k; i++) idx[i] = i;
  idx.sort((a, b) => scores[b]! - scores[a]!);

  const bestInWindow = files.map((f) => new Float64Array(f.windowCount).fill(Number.NaN));
  let score = 0;
  for (const f of files) score -= costs.fnWeight * f.scoredWindows;
  // NAB starts above every score (1.1): nothing detected.
  let best: ThresholdScore = { threshold: 1.1, score };
  for (let j = 0; j < k; j++) {
    const r = idx[j]!;
    const file = files[fileOf[r]!]!;
    const row = order[r]!;
    const w = file.window[row]!;
    const value = file.sweepScores[row]!;
    if (w === OUTSIDE) score += value;
    else {
      const windowBest = bestInWindow[fileOf[r]!]!;
      const prior = windowBest[w]!;
      if (Number.isNaN(prior)) {
        score += costs.fnWeight + value;
        windowBest[w] = value;
      } else if (value > prior) {
        score += value - prior;
        windowBest[w] = value;
      }
    }
    // A threshold is complete once every row with the same score has been counted.
    const last = j === k - 1 || scores[idx[j + 1]!] !== scores[r];
    if (last && score > best.score) best = { threshold: scores[r]!, score };
  }
  return best;
}
