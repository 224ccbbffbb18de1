import { z } from 'zod';
import { VigilError } from '../errors/vigil-error.js';
import type { FeedbackLabel } from './records.js';

/** The feedback topic's value (CONTRACTS.md): unknown keys are ignored, the rest is required. */
export const feedbackLabelSchema = z.object({
  event_id: z.string().min(1),
  time: z.number().finite(),
  labelled_at: z.number().finite(),
  entity: z.string(),
  customer_id: z.string(),
  terminal_id: z.string(),
  fraud: z.boolean(),
  scenario: z.string(),
}) satisfies z.ZodType<FeedbackLabel>;

/** Decodes a feedback message value; throws VIGIL_EVENT_DECODE / VIGIL_EVENT_SCHEMA naming the problem. */
export function decodeFeedbackLabel(value: Buffer | null): FeedbackLabel {
  if (value === null) throw new VigilError('VIGIL_EVENT_DECODE', 'feedback label: message has no value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (cause) {
    throw new VigilError('VIGIL_EVENT_DECODE', `feedback label: value is not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = feedbackLabelSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new VigilError('VIGIL_EVENT_SCHEMA', `feedback label: ${issues}`);
  }
  const { event_id, time, labelled_at, entity, customer_id, terminal_id, fraud, scenario } = parsed.data;
  return { event_id, time, labelled_at, entity, customer_id, terminal_id, fraud, scenario };
}
