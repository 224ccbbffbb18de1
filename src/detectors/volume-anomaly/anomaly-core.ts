import { burstScore, type BurstReading } from './burst-score.js';
import { gaussianTail } from './gaussian-tail.js';
import { allBandsVisited, LEVEL_BANDS_LENGTH, visitLevelBand } from './level-bands.js';

/**
 * The numbers that tune the core. DEFAULT_CORE_PARAMS (anomaly-defaults.ts) is the one set used
 * for the whole NAB corpus; docs/anomaly-detection.md says how it was chosen.
 */
export interface AnomalyCoreParams {
  /** Points scored 0 while the baselines learn. */
  readonly warmup: number;
  /** EWMA rate of the value's level, spread and absolute deviation (the long-term baseline). */
  readonly alphaSlow: number;
  /** EWMA rate of the recent level (a level shift is the recent level leaving the slow one). */
  readonly alphaFast: number;
  /** EWMA rate of the recent absolute deviation (a change of volatility). */
  readonly alphaVol: number;
  /** Weight of the level-shift z next to the point's z. */
  readonly shiftWeight: number;
  /** Weight of a new extreme (beyond every value seen so far, in ranges) as a z. */
  readonly extremeWeight: number;
  /** Weight of the volatility change, |log(recent / long-term absolute deviation)|, as a z. */
  readonly volWeight: number;
  /** Time-of-period bins of the seasonal baseline (0: none). */
  readonly seasonBins: number;
  /** Length of the seasonal period in ms (a day). */
  readonly seasonPeriod: number;
  /** EWMA rate of each seasonal bin (faster at first: 1 / points seen in the bin). */
  readonly alphaSeason: number;
  /** Points a bin needs before its baseline replaces the global one. */
  readonly seasonMinCount: number;
  /** Raw surprise is 1 − exp(−z / zScale). */
  readonly zScale: number;
  /** EWMA rate of the long-term Gaussian of raw surprise (the likelihood's reference). */
  readonly alphaLong: number;
  /** Floor on that Gaussian's standard deviation. */
  readonly minSpread: number;
  /** Per-point decay of the histogram of past z (the rarity's reference). */
  readonly histDecay: number;
  /** Width, in z, of one bin of that histogram (HIST bins, the last one open). */
  readonly histWidth: number;
  /** Share of rarity in the score; the rest is the likelihood. */
  readonly mix: number;
  /** Score at or above which the core treats a point as an alarm and goes quiet. */
  readonly alarmLevel: number;
  /** Points after an alarm that score 0 (one alarm per episode). */
  readonly quietPoints: number;
  /** Recent points whose median is the burst score's reference (burst-score.ts). */
  readonly burstWindow: number;
  /** Ratio to that median at which the burst score is ½. */
  readonly burstRatio: number;
  /** Steepness of the burst score in the log of the ratio. */
  readonly burstSlope: number;
  /** Whether the burst score also scores drops (a fall to 1/k of the recent median as a rise to k times it). */
  readonly burstDrops: boolean;
  /** Width of a level band (level-bands.ts), in long-term standard deviations from the long-term level. */
  readonly bandWidth: number;
  /** Lowest and highest band (a farther point counts in the outermost one); at most 31 bands. */
  readonly bandLow: number;
  readonly bandHigh: number;
  /** Score a point has at least when it is in a band the key has never visited (0: bands off). */
  readonly bandScore: number;
}

// State layout: one flat number array of fixed length, JSON-serialisable as the keyed stores want.
const N = 0;
const MIN = 1;
const MAX = 2;
const MEAN_SLOW = 3;
const VAR_SLOW = 4;
const MEAN_FAST = 5;
const MAD_SLOW = 6;
const MAD_FAST = 7;
const RAW_MEAN = 8;
const RAW_VAR = 9;
const QUIET = 10;
const HIST_AT = 11;
const HIST = 32;
const SEASON = HIST_AT + HIST;

/** Numbers a key's state holds with these params (43 + 3 per seasonal bin + 1 + the burst window + 3). */
export function coreStateLength(p: AnomalyCoreParams): number {
  return bandsAt(p) + LEVEL_BANDS_LENGTH;
}

/** The level bands come after the burst ring: older states line up with a prefix. */
function bandsAt(p: AnomalyCoreParams): number {
  return burstAt(p) + 1 + p.burstWindow;
}

/** The burst score's ring comes last, so a state saved before it existed still lines up. */
function burstAt(p: AnomalyCoreParams): number {
  return SEASON + 3 * p.seasonBins;
}

/** A key's state: a fixed-length array of numbers (coreStateLength). */
export type AnomalyState = number[];

export function createAnomalyState(p: AnomalyCoreParams): AnomalyState {
  const s = new Array<number>(coreStateLength(p)).fill(0);
  s[MIN] = Infinity;
  s[MAX] = -Infinity;
  return s;
}

/** The burst score's reading, filled on every point (module-level: nothing is allocated per point). */
const burstReading: BurstReading = { reference: 0, ratio: 1 };

/** What `updateAnomaly` compared, for explanations: filled by the call when given. */
export interface AnomalyReading {
  score: number;
  /** The value the point was compared with (its seasonal bin's level once learned). */
  baseline: number;
  /** The spread it was measured in. */
  spread: number;
  /** The combined z before calibration. */
  z: number;
}

/**
 * One point of one key's series: updates the state in place and returns the anomaly score in
 * [0, 1]. Only past points shape the score (no look-ahead); nothing is allocated per point.
 *
 * 1. Surprise: the largest of four z-like measures: the point against its baseline (the seasonal
 *    bin's level and deviation once learned, else the slow EWMA), a level shift (fast vs slow
 *    EWMA), a new extreme beyond the range seen so far, and a change of volatility; and whether
 *    the point is in a level band the key has never visited (level-bands.ts).
 * 2. Calibration, so one threshold fits every series: Numenta's anomaly likelihood (the raw
 *    surprise against its own long-term Gaussian, as a log-scaled tail probability) mixed with
 *    the rarity of z in the key's own decaying histogram of past z.
 *    A point in a new level band scores at least bandScore.
 * 3. One alarm per episode: after a score reaches alarmLevel, the next quietPoints score 0.
 *
 * Until the key has `warmup` points (too few for 1 and 2 to mean anything), the score is the
 * short-horizon burst score instead (burst-score.ts: the point against the median of the last few).
 * Both are updated on every point, so the hand-over needs no replay.
 */
export function updateAnomaly(s: AnomalyState, p: AnomalyCoreParams, time: number, value: number, out?: AnomalyReading): number {
  if (!Number.isFinite(value)) return 0;
  if (s.length < coreStateLength(p)) upgradeState(s, p);
  const burst = burstScore(s, burstAt(p), p.burstWindow, p.burstRatio, p.burstSlope, p.burstDrops, value, burstReading);
  const n = s[N]!;
  if (n === 0) {
    s[MEAN_SLOW] = value;
    s[MEAN_FAST] = value;
  }
  const prevRange = s[MAX]! - s[MIN]!;
  const beyond = n < 2 ? 0 : Math.max(0, value - s[MAX]!, s[MIN]! - value);
  if (value < s[MIN]!) s[MIN] = value;
  if (value > s[MAX]!) s[MAX] = value;
  const range = s[MAX]! - s[MIN]!;
  // A floor on every spread, so a flat line that moves is surprising but never infinitely so.
  const floor = 1e-3 * range + 1e-9;
  const extremeZ = prevRange > 0 ? (p.extremeWeight * beyond) / prevRange : 0;

  let baseline = s[MEAN_SLOW]!;
  let spread = Math.sqrt(s[VAR_SLOW]!) + floor;
  if (p.seasonBins > 0) {
    const phase = ((time % p.seasonPeriod) + p.seasonPeriod) % p.seasonPeriod;
    const b = SEASON + 3 * Math.floor((phase * p.seasonBins) / p.seasonPeriod);
    const count = s[b + 2]!;
    if (count >= p.seasonMinCount) {
      baseline = s[b]!;
      spread = 1.25 * s[b + 1]! + floor; // mean absolute deviation to a standard deviation
    }
    const a = Math.max(p.alphaSeason, 1 / (count + 1));
    if (count === 0) s[b] = value;
    else {
      s[b + 1] = s[b + 1]! + a * (Math.abs(value - s[b]!) - s[b + 1]!);
      s[b] = s[b]! + a * (value - s[b]!);
    }
    s[b + 2] = count + 1;
  }
  const newBand = visitLevelBand(s, bandsAt(p), p, n, floor, value);
  const pointZ = Math.abs(value - baseline) / spread;
  const fast = s[MEAN_FAST]! + p.alphaFast * (value - s[MEAN_FAST]!);
  const shiftZ = Math.abs(fast - s[MEAN_SLOW]!) / (Math.sqrt(s[VAR_SLOW]!) + floor);
  const absDev = Math.abs(value - s[MEAN_FAST]!);
  const madFast = s[MAD_FAST]! + p.alphaVol * (absDev - s[MAD_FAST]!);
  const volZ = p.volWeight * Math.abs(Math.log((madFast + floor) / (s[MAD_SLOW]! + floor)));
  const z = Math.max(pointZ, p.shiftWeight * shiftZ, extremeZ, volZ);

  s[MAD_FAST] = madFast;
  s[MAD_SLOW] = s[MAD_SLOW]! + p.alphaSlow * (absDev - s[MAD_SLOW]!);
  const d = value - s[MEAN_SLOW]!;
  s[MEAN_SLOW] = s[MEAN_SLOW]! + p.alphaSlow * d;
  s[VAR_SLOW] = (1 - p.alphaSlow) * (s[VAR_SLOW]! + p.alphaSlow * d * d);
  s[MEAN_FAST] = fast;

  // Likelihood: how far out this raw surprise is in the Gaussian of the key's past raw surprise.
  const raw = 1 - Math.exp(-z / p.zScale);
  const rawMean = s[RAW_MEAN]!;
  const tail = gaussianTail((raw - rawMean) / Math.max(Math.sqrt(s[RAW_VAR]!), p.minSpread));
  const rd = raw - rawMean;
  const a = n === 0 ? 1 : Math.max(p.alphaLong, 1 / (n + 1));
  s[RAW_MEAN] = rawMean + a * rd;
  s[RAW_VAR] = (1 - a) * (s[RAW_VAR]! + a * rd * rd);
  // Numenta's log scale: a tail of 1e-10 scores 1.
  const likelihood = Math.max(0, Math.min(1, Math.log(tail + 1e-10) / Math.log(1e-10)));

  // Rarity: the share of the key's past z at or above this one (decayed counts, linear in a bin).
  const pos = Math.min(z / p.histWidth, HIST - 1e-9);
  const bin = Math.floor(pos);
  let total = 0;
  let above = s[HIST_AT + bin]! * (1 - (pos - bin));
  for (let i = 0; i < HIST; i++) {
    const c = s[HIST_AT + i]!;
    total += c;
    if (i > bin) above += c;
    s[HIST_AT + i] = c * p.histDecay;
  }
  s[HIST_AT + bin] = s[HIST_AT + bin]! + 1;
  const rarity = Math.min(1, -Math.log10((above + 1) / (total + 1)) / 6);
  s[N] = n + 1;

  if (n < p.warmup) {
    // Too little history for the learned model: the burst score alone. It starts no quiet period,
    // as its reference (the recent median) absorbs a lasting burst within a few points.
    if (out) {
      out.score = burst;
      out.baseline = burstReading.reference;
      out.spread = Math.abs(burstReading.reference) + floor;
      out.z = (value - burstReading.reference) / out.spread;
    }
    return burst;
  }
  let score = (1 - p.mix) * likelihood + p.mix * rarity;
  if (newBand && p.bandScore > score) score = p.bandScore;
  if (s[QUIET]! > 0) {
    s[QUIET] = s[QUIET]! - 1;
    score = 0;
  } else if (score >= p.alarmLevel) s[QUIET] = p.quietPoints;

  if (out) {
    out.score = score;
    out.baseline = baseline;
    out.spread = spread;
    out.z = z;
  }
  return score;
}

/**
 * Extends a state saved by an older version to the current length (once; it is then fixed). A
 * missing burst ring starts empty; missing level bands start from the slow baseline, all visited
 * when the key already has history, since which levels it held is unknown and an upgrade must not
 * raise alarms.
 */
function upgradeState(s: AnomalyState, p: AnomalyCoreParams): void {
  const had = s.length;
  while (s.length < coreStateLength(p)) s.push(0);
  const at = bandsAt(p);
  if (had <= at && s[N]! > 0) {
    s[at] = allBandsVisited(p.bandLow, p.bandHigh);
    s[at + 1] = s[MEAN_SLOW]!;
    s[at + 2] = s[VAR_SLOW]!;
  }
}
