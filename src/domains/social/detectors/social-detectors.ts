import type { AnyDetectorDefinition } from '../../../model/detector.js';
import { emergingTermsDetector } from './emerging-terms/emerging-terms.detector.js';
import { sentimentShiftDetector } from './sentiment-shift/sentiment-shift.detector.js';
import { trendingTermsDetector } from './trending-terms/trending-terms.detector.js';

/** The social domain's own detectors (volume_anomaly, which social templates use too, is generic: src/detectors/). */
export const SOCIAL_DETECTORS: readonly AnyDetectorDefinition[] = [sentimentShiftDetector, trendingTermsDetector, emergingTermsDetector];
