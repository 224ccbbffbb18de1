import { z } from 'zod';
import { SEVERITIES } from '../../model/records.js';
import { DEFAULT_BUCKETS } from '../../model/template/window-buckets.js';
import { duration } from '../../model/template/duration.js';

export const velocityParams = z
  .strictObject({
    /** Canonical field the counts are kept per (card_id, customer_id, terminal_id...). */
    key: z.string().min(1),
    /** Sliding event-time look-back from each event. */
    window: duration,
    /** More than this many events in the window fires. */
    maxCount: z.number().int().min(1),
    /** A sum of amounts above this in the window fires; omit to watch counts only. */
    maxAmount: z.number().positive().optional(),
    amountField: z.string().min(1).default('amount'),
    severity: z.enum(SEVERITIES).default('high'),
    /**
     * Time buckets per window: the window's old edge is rounded to window / buckets (10s for 10m),
     * and a key costs 3 numbers per bucket holding events. Choose one that divides the window.
     */
    buckets: z.number().int().min(1).max(600).default(DEFAULT_BUCKETS),
  })
  .refine((p) => p.maxCount > 0 || p.maxAmount !== undefined, 'set maxCount or maxAmount');

export type VelocityParams = z.infer<typeof velocityParams>;
