import { z } from 'zod';
import { SEVERITIES } from '../../model/records.js';
import { duration } from '../../model/template/duration.js';

export const firstSeenParams = z.strictObject({
  /** Whose habits (customer_id, card_id). */
  key: z.string().min(1).default('customer_id'),
  /** What is new or known to them (terminal_id, merchant...). */
  of: z.string().min(1).default('terminal_id'),
  /** A pair unseen for this long is new again. */
  remember: duration.prefault('90d'),
  /** Payments of the key before "new" means anything (everything is new to a new customer). */
  minHistory: z.number().int().min(1).default(10),
  /** Emit a finding for each first-seen pair; off by default: alone it is a weak signal for the risk score. */
  emit: z.boolean().default(false),
  severity: z.enum(SEVERITIES).default('low'),
});

export type FirstSeenParams = z.infer<typeof firstSeenParams>;
