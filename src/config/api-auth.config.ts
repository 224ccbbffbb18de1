import type { ApiToken } from './api-tokens.js';

export interface ApiAuthConfig {
  /** Empty: the API is open (allowed on loopback only). */
  readonly tokens: readonly ApiToken[];
  /** GET /metrics without a token, for a Prometheus scraper. */
  readonly metricsPublic: boolean;
  /** Requests per minute per token (per client address for requests without a valid token). */
  readonly ratePerMinute: number;
  /** Largest request body in bytes. */
  readonly bodyLimitBytes: number;
}
