/**
 * Buckets a sliding window is split into when a template does not say: the window's resolution
 * (one bucket = window / buckets) against the memory each key holds.
 */
export const DEFAULT_BUCKETS = 60;
