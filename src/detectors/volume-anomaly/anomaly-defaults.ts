import type { AnomalyCoreParams } from './anomaly-core.js';

/**
 * The one parameter set for every series of the NAB corpus (chosen on the whole corpus, as every
 * NAB entry is: docs/anomaly-detection.md), and the volume-anomaly detector's default.
 */
export const DEFAULT_CORE_PARAMS: AnomalyCoreParams = {
  warmup: 250,
  alphaSlow: 0.015,
  alphaFast: 0.5,
  alphaVol: 0.3,
  shiftWeight: 0.3,
  extremeWeight: 20,
  volWeight: 2,
  seasonBins: 32,
  seasonPeriod: 86_400_000,
  alphaSeason: 0.015,
  seasonMinCount: 8,
  zScale: 20,
  alphaLong: 0.0002,
  minSpread: 0.01,
  histDecay: 0.99995,
  histWidth: 2,
  mix: 0.2,
  alarmLevel: 0.48,
  quietPoints: 200,
  burstWindow: 5,
  burstRatio: 2,
  burstSlope: 4,
  burstDrops: false,
  bandWidth: 2,
  bandLow: -4,
  bandHigh: 3,
  bandScore: 0.5,
};

/**
 * The score threshold NAB's sweep chose for DEFAULT_CORE_PARAMS on the standard profile over the
 * whole corpus: the detector's default for a finding.
 */
export const DEFAULT_THRESHOLD = 0.4548;

/**
 * For short-lived series (a match, a live event) and keys whose recent level is all that matters:
 * the burst score alone, never the learned model (the point ÷ the median of the 5 before it, the
 * published volume baseline's memory, as a score).
 */
export const SHORT_SERIES_PARAMS: AnomalyCoreParams = {
  ...DEFAULT_CORE_PARAMS,
  warmup: Number.POSITIVE_INFINITY,
};

export const CORE_PROFILES = { seasonal: DEFAULT_CORE_PARAMS, short: SHORT_SERIES_PARAMS } as const;
export type CoreProfile = keyof typeof CORE_PROFILES;
