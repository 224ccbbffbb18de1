import { z } from 'zod';
import { SEVERITIES } from '../../runtime/records.js';
import { duration } from '../../templates/duration.js';

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
    /** Event ids kept to explain a finding; bounded so state stays small. */
    maxEvidence: z.number().int().min(1).max(100).default(20),
  })
  .refine((p) => p.maxCount > 0 || p.maxAmount !== undefined, 'set maxCount or maxAmount');

export type VelocityParams = z.infer<typeof velocityParams>;
