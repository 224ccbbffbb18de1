import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration, nonNegativeDuration } from '../../../../model/template/duration.js';
import { postTermParams } from '../post-terms.js';

export const trendingTermsParams = z
  .strictObject({
    ...postTermParams,
    /** Tumbling event-time window: one top-k report per key and window. */
    window: duration.prefault('15m'),
    /** Items listed per report. */
    k: z.number().int().min(1).max(100).default(10),
    /** Space-Saving counters per key and window: the memory bound (see the detector's doc comment). */
    capacity: z.number().int().min(1).max(10_000).default(200),
    /** Items counted fewer times than this in the window are left out of the report. */
    minCount: z.number().int().min(1).default(2),
    /**
     * Extra event time a window waits after its end before it is reported; events for it arriving
     * until then still count. Set it to the template's `event.allowedLateness`.
     */
    lateness: nonNegativeDuration.prefault('0s'),
    severity: z.enum(SEVERITIES).default('info'),
  })
  .refine((p) => p.capacity >= p.k, { message: 'capacity must be at least k', path: ['capacity'] });

export type TrendingTermsParams = z.infer<typeof trendingTermsParams>;
