import { DEFAULT_CORE_PARAMS } from './anomaly-core.js';

export { DEFAULT_CORE_PARAMS };

/**
 * The score threshold the NAB threshold sweep chose for DEFAULT_CORE_PARAMS on the standard
 * profile (docs/anomaly-detection.md): the detector's default for a finding.
 */
export const DEFAULT_THRESHOLD = 0.5694;
