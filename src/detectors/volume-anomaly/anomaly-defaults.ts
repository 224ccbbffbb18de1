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
};

/**
 * The score threshold NAB's sweep chose for DEFAULT_CORE_PARAMS on the standard profile over the
 * whole corpus: the detector's default for a finding.
 */
export const DEFAULT_THRESHOLD = 0.4548;

/**
 * For short series with no history (a two-hour match in 2-minute windows): learn from 5 points,
 * no daily rhythm, a level that follows about 5 points (the memory of the count ÷ median-of-5
 * baseline), a surprise distribution of about 20 points, and a short quiet period. Chosen from
 * those memories before looking at any match result, not fitted.
 */
export const SHORT_SERIES_PARAMS: AnomalyCoreParams = {
  ...DEFAULT_CORE_PARAMS,
  warmup: 5,
  seasonBins: 0,
  alphaSlow: 0.33,
  alphaLong: 0.05,
  quietPoints: 5,
};

export const CORE_PROFILES = { seasonal: DEFAULT_CORE_PARAMS, short: SHORT_SERIES_PARAMS } as const;
export type CoreProfile = keyof typeof CORE_PROFILES;
