import type { AnyDetectorDefinition } from '../../../model/detector.js';
import { deteriorationTrendDetector } from './deterioration-trend/deterioration-trend.detector.js';
import { news2Detector } from './news2/news2.detector.js';
import { sepsisRiskDetector } from './sepsis-risk/sepsis-risk.detector.js';
import { vitalBaselineDetector } from './vital-baseline/vital-baseline.detector.js';

/**
 * The health domain's detectors, in the order a template runs them: deterioration_trend reads
 * news2's `total` signal, so it comes after news2.
 */
export const HEALTH_DETECTORS: readonly AnyDetectorDefinition[] = [news2Detector, vitalBaselineDetector, deteriorationTrendDetector, sepsisRiskDetector];
