import { z } from 'zod';
import { pagerDutyReceiverSchema } from './pagerduty.config.js';
import { slackReceiverSchema } from './slack.config.js';
import { webhookReceiverSchema } from './webhook.config.js';

/** A receiver in a template's `alerts.receivers`; `type` picks the schema. */
export const receiverSchema = z.discriminatedUnion('type', [webhookReceiverSchema, slackReceiverSchema, pagerDutyReceiverSchema]);
export type ReceiverSpec = z.infer<typeof receiverSchema>;

export const REDACTED = '[redacted]';

/** The receiver with every secret value replaced, for `vigil templates show` and the API. */
export function redactReceiver(spec: ReceiverSpec): ReceiverSpec {
  switch (spec.type) {
    case 'webhook':
      return {
        ...spec,
        ...(spec.secret === undefined ? {} : { secret: REDACTED }),
        ...(spec.secrets === undefined ? {} : { secrets: spec.secrets.map(() => REDACTED) }),
        // Header values are usually tokens.
        headers: Object.fromEntries(Object.keys(spec.headers).map((name) => [name, REDACTED])),
      };
    case 'slack':
      return { ...spec, url: `${new URL(spec.url).origin}/${REDACTED}` };
    case 'pagerduty':
      return { ...spec, routingKey: REDACTED };
  }
}
