import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration, nonNegativeDuration } from '../../../../model/template/duration.js';

export const cardTestingParams = z.strictObject({
  /** Canonical field the pattern is followed per (the card). */
  key: z.string().min(1).default('card_id'),
  amountField: z.string().min(1).default('amount'),
  /** The probing: `count` payments of at most `maxAmount` within `within`. */
  probes: z.strictObject({
    count: z.number().int().min(2).default(3),
    maxAmount: z.number().positive().default(2),
    within: duration.prefault('10m'),
  }),
  /** The cash-out: a payment of at least `minAmount` within `within` of the last probe. */
  cashOut: z.strictObject({
    minAmount: z.number().positive().default(100),
    within: duration.prefault('1h'),
  }),
  /** How far out of order a payment may arrive and still count. */
  lateness: nonNegativeDuration.prefault('0s'),
  severity: z.enum(SEVERITIES).default('high'),
  /** Probing nothing followed within cashOut.within: reported at this severity (a card to watch). */
  probedSeverity: z.enum(SEVERITIES).default('low'),
});

export type CardTestingParams = z.infer<typeof cardTestingParams>;
