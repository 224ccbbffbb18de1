import { z } from 'zod';
import { receiverCommonFields } from './receiver-common.config.js';

/**
 * A Slack incoming webhook (https://api.slack.com/messaging/webhooks). The URL itself is the
 * credential, so it is redacted wherever the template is shown and never quoted in errors.
 */
export const slackReceiverSchema = z.strictObject({
  ...receiverCommonFields,
  type: z.literal('slack'),
  url: z.url({ protocol: /^https?$/ }),
});
export type SlackReceiverSpec = z.infer<typeof slackReceiverSchema>;
