import { gaussianTail } from './gaussian-tail.js';

/** Numbers that tune the core; `DEFAULT_CORE_PARAMS` is the one set used for the whole NAB corpus. */
export interface AnomalyCoreParams {
  /** Points scored 0 while the baselines learn. */
  readonly warmup: number;
  /** EWMA rate of the value's level and spread (the baseline a point is compared with). */
  readonly alphaSlow: number;
  /** EWMA rate of the recent level (a level shift is the recent level leaving the slow one). */
  readonly alphaFast: number;
  /** Raw surprise is 1 - exp(-z / zScale): the scale of z that counts as surprising. */
  readonly zCap: number;
  /** Weight of the level-shift surprise next to the point surprise. */
  readonly shiftWeight: number;
  /** Weight of a new extreme (beyond every value seen so far), in ranges, as a z. */
  readonly extremeWeight: number;
  /** Weight of the volatility change (log of recent to long-term absolute deviation). */
  readonly volWeight: number;
  /** EWMA rate of the recent absolute deviation. */
  readonly alphaVol: number;
  /** Time-of-period bins of the seasonal baseline (0: none). */
  readonly seasonBins: number;
  /** Length of the seasonal period in ms (a day, or a week). */
  readonly seasonPeriod: number;
  /** EWMA rate of each seasonal bin (faster at first: 1 / points seen in the bin). */
  readonly alphaSeason: number;
  /** Points a bin needs before its baseline replaces the global one. */
  readonly seasonMinCount: number;
  /** 1: values are compressed with sign(x)·log(1 + |x|) first (counts grow multiplicatively). */
  readonly logValues: number;
  /** Points averaged for the likelihood's short-term surprise (at most RING). */
  readonly shortWindow: number;
  /** EWMA rate of the long-term distribution of raw surprise. */
  readonly alphaLong: number;
  /** Floor on that distribution's standard deviation. */
  readonly minSpread: number;
  /** Per-point decay of the histogram of past surprise (rarity mode). */
  readonly histDecay: number;
  /** Width, in z, of one bin of that histogram (HIST bins, the last one open). */
  readonly histWidth: number;
  /** Share of rarity in the score when both are mixed (mode 3). */
  readonly mix: number;
  /** 0: Numenta's likelihood; 1: record surprise; 2: rarity, the empirical tail of z in the key's own history. */
  readonly mode: number;
  /** Per-point decay of the maximum surprise seen (record mode). */
  readonly recordDecay: number;
  /** Score at or above which the core treats a point as an alarm and goes quiet. */
  readonly alarmLevel: number;
  /** Points after an alarm during which scores are damped. */
  readonly quietPoints: number;
  /** Factor applied to scores while quiet. */
  readonly quietFactor: number;
}

export const DEFAULT_CORE_PARAMS: AnomalyCoreParams = {
  warmup: 300,
  alphaSlow: 0.01,
  alphaFast: 0.5,
  zCap: 20,
  shiftWeight: 0.5,
  extremeWeight: 20,
  volWeight: 2,
  alphaVol: 0.1,
  seasonBins: 24,
  seasonPeriod: 86_400_000,
  alphaSeason: 0.03,
  seasonMinCount: 10,
  logValues: 0,
  shortWindow: 1,
  alphaLong: 0.0001,
  minSpread: 0.01,
  mode: 0,
  histDecay: 0.9995,
  histWidth: 0.5,
  mix: 0.5,
  recordDecay: 0.999,
  alarmLevel: 0.55,
  quietPoints: 200,
  quietFactor: 0,
};

const RING = 16;

// State layout: one flat number array, JSON-serialisable as the keyed stores want.
const N = 0;
const MIN = 1;
const MAX = 2;
const MEAN_SLOW = 3;
const VAR_SLOW = 4;
const MEAN_FAST = 5;
const RAW_MEAN = 6;
const RAW_VAR = 7;
const RAW_SUM = 8;
const QUIET = 9;
const LAST_TIME = 10;
const RING_AT = 11;
const MAD_SLOW = 12;
const MAD_FAST = 13;
const Z_MAX = 14;
const HEADER = 15;
const HIST = 32;
const HIST_AT = HEADER + RING;
const SEASON = HIST_AT + HIST;

/** Numbers a key's state holds with these params. */
export function coreStateLength(p: AnomalyCoreParams): number {
  return SEASON + 3 * p.seasonBins;
}

/** A key's state: a fixed-length array of numbers (CORE_STATE_LENGTH). */
export type AnomalyState = number[];

export function createAnomalyState(p: AnomalyCoreParams): AnomalyState {
  const s = new Array<number>(coreStateLength(p)).fill(0);
  s[MIN] = Infinity;
  s[MAX] = -Infinity;
  return s;
}

/** What `update` found, for explanations: read right after the call, before the next one. */
export interface AnomalyReading {
  score: number;
  baseline: number;
  spread: number;
  raw: number;
}

/**
 * One point of one key's series: updates the state in place and returns the anomaly score in
 * [0, 1]. Only past points shape the score (no look-ahead); no allocation per point.
 */
export function updateAnomaly(s: AnomalyState, p: AnomalyCoreParams, time: number, input: number, out?: AnomalyReading): number {
  if (!Number.isFinite(input)) return 0;
  const n = s[N]!;
  s[LAST_TIME] = time;
  const value = p.logValues === 1 ? Math.sign(input) * Math.log1p(Math.abs(input)) : input;
  if (n === 0) {
    s[MEAN_SLOW] = value;
    s[MEAN_FAST] = value;
  }
  const prevRange = s[MAX]! - s[MIN]!;
  const beyond = n < 2 ? 0 : Math.max(0, value - s[MAX]!, s[MIN]! - value);
  if (value < s[MIN]!) s[MIN] = value;
  if (value > s[MAX]!) s[MAX] = value;
  const range = s[MAX]! - s[MIN]!;
  const extremeZ = prevRange > 0 ? (p.extremeWeight * beyond) / prevRange : 0;

  let mean = s[MEAN_SLOW]!;
  let spread = Math.sqrt(s[VAR_SLOW]!) + 1e-3 * range + 1e-9;
  if (p.seasonBins > 0) {
    const phase = ((time % p.seasonPeriod) + p.seasonPeriod) % p.seasonPeriod;
    const b = SEASON + 3 * Math.floor((phase * p.seasonBins) / p.seasonPeriod);
    const count = s[b + 2]!;
    if (count >= p.seasonMinCount) {
      mean = s[b]!;
      spread = 1.25 * s[b + 1]! + 1e-3 * range + 1e-9;
    }
    const a = Math.max(p.alphaSeason, 1 / (count + 1));
    const dev = count === 0 ? 0 : Math.abs(value - s[b]!);
    s[b] = count === 0 ? value : s[b]! + a * (value - s[b]!);
    s[b + 1] = count === 0 ? 0 : s[b + 1]! + a * (dev - s[b + 1]!);
    s[b + 2] = count + 1;
  }
  const pointZ = Math.abs(value - mean) / spread;
  const fast = s[MEAN_FAST]! + p.alphaFast * (value - s[MEAN_FAST]!);
  const shiftZ = Math.abs(fast - s[MEAN_SLOW]!) / (Math.sqrt(s[VAR_SLOW]!) + 1e-3 * range + 1e-9);
  const absDev = Math.abs(value - s[MEAN_FAST]!);
  const madFast = s[MAD_FAST]! + p.alphaVol * (absDev - s[MAD_FAST]!);
  const volZ = p.volWeight * Math.abs(Math.log((madFast + 1e-3 * range + 1e-9) / (s[MAD_SLOW]! + 1e-3 * range + 1e-9)));
  s[MAD_FAST] = madFast;
  s[MAD_SLOW] = s[MAD_SLOW]! + p.alphaSlow * (absDev - s[MAD_SLOW]!);
  const z = Math.max(pointZ, p.shiftWeight * shiftZ, extremeZ, volZ);
  const raw = 1 - Math.exp(-z / p.zCap);

  const slowMean = s[MEAN_SLOW]!;
  const d = value - slowMean;
  s[MEAN_SLOW] = slowMean + p.alphaSlow * d;
  s[VAR_SLOW] = (1 - p.alphaSlow) * (s[VAR_SLOW]! + p.alphaSlow * d * d);
  s[MEAN_FAST] = fast;

  // Numenta's anomaly likelihood: the short-term average surprise against its long-term Gaussian.
  const at = s[RING_AT]!;
  const w = Math.min(p.shortWindow, RING);
  const slot = HEADER + (at % w);
  s[RAW_SUM] = s[RAW_SUM]! - (n >= w ? s[slot]! : 0) + raw;
  s[slot] = raw;
  s[RING_AT] = (at + 1) % w;
  const short = s[RAW_SUM]! / Math.min(n + 1, w);
  const rawMean = s[RAW_MEAN]!;
  const rawSd = Math.max(Math.sqrt(s[RAW_VAR]!), p.minSpread);
  const tail = gaussianTail((short - rawMean) / rawSd);
  const rd = raw - rawMean;
  const a = n === 0 ? 1 : Math.max(p.alphaLong, 1 / (n + 1));
  s[RAW_MEAN] = rawMean + a * rd;
  s[RAW_VAR] = (1 - a) * (s[RAW_VAR]! + a * rd * rd);
  s[N] = n + 1;

  let rarity = 0;
  if (p.mode >= 2) {
    const pos = Math.min(z / p.histWidth, HIST - 1e-9);
    const bin = Math.floor(pos);
    let total = 0;
    let above = 0;
    for (let i = 0; i < HIST; i++) {
      const c = s[HIST_AT + i]!;
      total += c;
      if (i > bin) above += c;
    }
    above += s[HIST_AT + bin]! * (1 - (pos - bin));
    rarity = Math.min(1, -Math.log10((above + 1) / (total + 1)) / 6);
    for (let i = 0; i < HIST; i++) s[HIST_AT + i] = s[HIST_AT + i]! * p.histDecay;
    s[HIST_AT + bin] = s[HIST_AT + bin]! + 1;
  }
  const likelihood = Math.max(0, Math.min(1, Math.log(1.0000000001 - (1 - tail)) / Math.log(1e-10)));
  let score: number;
  if (p.mode === 3) score = (1 - p.mix) * likelihood + p.mix * rarity;
  else if (p.mode === 2) score = rarity;
  else if (p.mode === 1) {
    const record = s[Z_MAX]!;
    score = Math.min(1, z / (2 * record + 1e-9));
    s[Z_MAX] = Math.max(record * p.recordDecay, z);
  } else score = likelihood;
  if (n < p.warmup) score = 0;
  if (s[QUIET]! > 0) {
    s[QUIET] = s[QUIET]! - 1;
    score *= p.quietFactor;
  } else if (score >= p.alarmLevel) s[QUIET] = p.quietPoints;

  if (out) {
    out.score = score;
    out.baseline = mean;
    out.spread = spread;
    out.raw = raw;
  }
  return score;
}
