import { z } from 'zod';
import { receiverCommonFields } from './receiver-common.config.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** PagerDuty Events API v2: `routingKey` is the integration key of a service (a secret). */
export const pagerDutyReceiverSchema = z.strictObject({
  ...receiverCommonFields,
  type: z.literal('pagerduty'),
  routingKey: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }).default(PAGERDUTY_EVENTS_URL),
});
export type PagerDutyReceiverSpec = z.infer<typeof pagerDutyReceiverSchema>;
