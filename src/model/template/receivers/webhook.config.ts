import { z } from 'zod';
import { receiverCommonFields } from './receiver-common.config.js';

/** A generic webhook: the versioned JSON payload (webhook.payload.ts), signed per Standard Webhooks. */
export const webhookReceiverSchema = z.strictObject({
  ...receiverCommonFields,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** Standard Webhooks secret (`whsec_…` base64); comes from the environment via ${VAR}. */
  secret: z.string().min(1).optional(),
  /**
   * Several active secrets while rotating (the one to keep first): every request carries one
   * signature per secret, so receivers holding either the old or the new one accept it.
   */
  secrets: z.array(z.string().min(1)).optional(),
  headers: z.record(z.string(), z.string()).default({}),
});
export type WebhookReceiverSpec = z.infer<typeof webhookReceiverSchema>;

/** The signing secrets of a webhook receiver, `secrets` first. */
export function webhookSecrets(spec: WebhookReceiverSpec): string[] {
  return [...(spec.secrets ?? []), ...(spec.secret === undefined ? [] : [spec.secret])];
}
