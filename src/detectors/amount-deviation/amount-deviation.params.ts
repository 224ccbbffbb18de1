import { z } from 'zod';
import { SEVERITIES } from '../../model/records.js';

export const amountDeviationParams = z.strictObject({
  /** Canonical field the baseline is kept per (customer_id, card_id...). */
  key: z.string().min(1).default('customer_id'),
  amountField: z.string().min(1).default('amount'),
  /** Weight of each new amount in the moving baseline (0.05: roughly the last 20 payments). */
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** Weight of each new payment in the `recent` and `recent_flagged` EWMAs (0.15: roughly the last week of a card). */
  recentAlpha: z.number().gt(0).lt(1).default(0.15),
  /** Amounts above mean + clip × deviation enter the baseline as that cap, so frauds barely move it. */
  clip: z.number().positive().default(3),
  /** Payments seen before the key is scored: an early baseline says little. */
  minHistory: z.number().int().min(1).default(5),
  /** A finding needs both: amount at least `ratioAbove` × the baseline, and `zAbove` deviations above it. */
  ratioAbove: z.number().positive().default(4),
  zAbove: z.number().positive().default(5),
  severity: z.enum(SEVERITIES).default('medium'),
});

export type AmountDeviationParams = z.infer<typeof amountDeviationParams>;
