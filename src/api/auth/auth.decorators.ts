import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '../../config/api-role.js';

export const REQUIRED_ROLE = 'vigil:required-role';
export const PUBLIC_ENDPOINT = 'vigil:public-endpoint';
export const METRICS_ENDPOINT = 'vigil:metrics-endpoint';

/** The least role that may call this handler; handlers without it need `viewer`. */
export const RequiresRole = (role: ApiRole) => SetMetadata(REQUIRED_ROLE, role);

/** No token needed (the liveness check of orchestrators and load balancers). */
export const PublicEndpoint = () => SetMetadata(PUBLIC_ENDPOINT, true);

/** Open without a token only when VIGIL_METRICS_PUBLIC is set (for a Prometheus scraper). */
export const MetricsEndpoint = () => SetMetadata(METRICS_ENDPOINT, true);
