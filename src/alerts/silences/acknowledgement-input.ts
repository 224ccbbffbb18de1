import { z } from 'zod';
import { parseDuration } from '../../model/template/duration.js';

/** The longest acknowledgement: a day of shifts. Anything longer is a silence, with its reason, not an ack. */
export const MAX_ACKNOWLEDGEMENT = '24h';
export const MAX_ACKNOWLEDGEMENT_MS = parseDuration(MAX_ACKNOWLEDGEMENT)!;

/** What `POST /templates/:name/patients/:id/acknowledge` accepts. */
const acknowledgementInputSchema = z.strictObject({
  for: z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like "30m", got "${text}"` });
      return z.NEVER;
    }
    if (ms > MAX_ACKNOWLEDGEMENT_MS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_ACKNOWLEDGEMENT}, got "${text}"; use POST /silences for longer` });
      return z.NEVER;
    }
    return ms;
  }),
  comment: z.string().max(2000).optional(),
});

export interface AcknowledgementInput {
  /** How long to quiet the patient's alerts, in ms. */
  readonly forMs: number;
  readonly comment: string;
}

export type AcknowledgementInputResult = { ok: true; input: AcknowledgementInput } | { ok: false; problems: string[] };

/** Validates a request body, with path-qualified problems like `POST /silences`. */
export function parseAcknowledgementInput(body: unknown): AcknowledgementInputResult {
  const parsed = acknowledgementInputSchema.safeParse(body ?? {});
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) };
  return { ok: true, input: { forMs: parsed.data.for, comment: parsed.data.comment ?? '' } };
}
