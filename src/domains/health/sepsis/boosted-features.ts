import { SEPSIS_FEATURES, type SepsisFeature } from './sepsis-features.js';
import { TREND_FEATURES } from './trend-features.js';

/**
 * The boosted-tree score's inputs: the logistic model's, less the hinges max(0, x − knot) that only
 * bend a linear model (a tree splits x itself anywhere), plus the per-vital trends of the last 6
 * and 12 hours and the hours since each vital's last reading.
 */
export const BOOSTED_FEATURES: readonly SepsisFeature[] = [...SEPSIS_FEATURES.filter((f) => !/_above_/.test(f.name)), ...TREND_FEATURES];

export const BOOSTED_FEATURE_NAMES: readonly string[] = BOOSTED_FEATURES.map((f) => f.name);
