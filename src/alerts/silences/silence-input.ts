import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { matcherSchema, silenceSchema, type Silence } from './silence.js';

/** Epoch ms or an ISO-8601 date-time. */
const instant = z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

/** What `POST /silences` accepts; the id and created_at are Vigil's. */
export const silenceInputSchema = z.strictObject({
  matchers: z.array(matcherSchema),
  starts_at: instant,
  ends_at: instant,
  created_by: z.string().optional(),
  comment: z.string().optional(),
});

export type SilenceInputResult = { ok: true; silence: Silence } | { ok: false; problems: string[] };

/** Validates a request body into a new silence, with path-qualified problems. */
export function newSilence(body: unknown, now: number = Date.now()): SilenceInputResult {
  const input = silenceInputSchema.safeParse(body);
  if (!input.success) return { ok: false, problems: problems(input.error) };
  const silence = silenceSchema.safeParse({ ...input.data, id: `sil_${randomUUID()}`, created_at: now });
  return silence.success ? { ok: true, silence: silence.data } : { ok: false, problems: problems(silence.error) };
}

function problems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}
