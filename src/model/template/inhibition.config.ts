import { z } from 'zod';
import { duration } from './duration.js';
import { ALERT_LABELS } from './alert-labels.js';

/**
 * Inhibition: while an alert is active, alerts of LOWER severity with the same `equal` labels
 * (by default: the same entity of the same template) are not sent. An alert is active in event
 * time from its finding's time until `activeFor` after its window ends.
 */
export const inhibitionSchema = z.strictObject({
  enabled: z.boolean().default(true),
  equal: z.array(z.enum(ALERT_LABELS)).min(1).default(['template', 'entity']),
  activeFor: duration.prefault('15m'),
});
export type InhibitionSpec = z.infer<typeof inhibitionSchema>;
