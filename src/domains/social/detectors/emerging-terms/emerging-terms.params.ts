import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration } from '../../../../model/template/duration.js';
import { postTermParams } from '../post-terms.js';

export const emergingTermsParams = z.strictObject({
  ...postTermParams,
  /** Tumbling event-time window: the current count is the item's count in the current window. */
  window: duration.prefault('10m'),
  /** An item fires once counted at least this many times in the current window (noise floor). */
  minCount: z.number().int().min(1).default(10),
  /** ... and at least `ratio` times its baseline: current / (baseline + smoothing). */
  ratio: z.number().min(1).default(5),
  /** Added to the baseline so an item never seen before needs minCount / smoothing ≥ ratio, not any count. */
  smoothing: z.number().positive().default(1),
  /** Weight of each finished window in the baseline (an EWMA of counts per window; memory ~ 1 / alpha windows). */
  alpha: z.number().gt(0).lt(1).default(0.1),
  /** Finished windows the key must have before anything fires: at the start every item is new. */
  minHistory: z.number().int().min(1).default(6),
  /** Space-Saving counters for the current window, per key. */
  capacity: z.number().int().min(1).max(10_000).default(100),
  /** Count-Min rows and cells per row of the baseline, per key (depth × width numbers). */
  depth: z.number().int().min(1).max(8).default(4),
  width: z.number().int().min(16).max(16_384).default(256),
  /** Fired items remembered per key (each stays quiet while it keeps qualifying); the oldest is forgotten first. */
  maxActive: z.number().int().min(1).max(1_000).default(32),
  /** How long a key may stay silent before the runtime may drop its baseline. */
  ttl: duration.prefault('7d'),
  severity: z.enum(SEVERITIES).default('medium'),
});

export type EmergingTermsParams = z.infer<typeof emergingTermsParams>;
