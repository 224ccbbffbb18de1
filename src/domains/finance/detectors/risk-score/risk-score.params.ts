import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';

/** How an input's raw value becomes a term of the score, before its weight. */
export const TRANSFORMS = ['linear', 'log1p', 'hinge', 'indicator'] as const;

export const riskInputSchema = z
  .strictObject({
    /** Name of the contribution in findings (`contrib.<name>`); defaults from the signal or field. */
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name').optional(),
    /** A signal of an earlier detector, `<detector id>.<signal>`, e.g. `terminal_risk.rate`... */
    signal: z.string().min(1).optional(),
    /** ...or a numeric canonical field of the event, e.g. `amount`. */
    field: z.string().min(1).optional(),
    weight: z.number(),
    /** linear: x; log1p: ln(1 + max(x, 0)); hinge: max(0, x − at); indicator: 1 when x ≥ at. */
    transform: z.enum(TRANSFORMS).default('linear'),
    at: z.number().default(0),
    /** The value is capped here before the transform, so one signal cannot swamp the others. */
    cap: z.number().optional(),
    /** Used when the signal is absent for an event (no history, no labels yet). */
    missing: z.number().default(0),
  })
  .refine((input) => (input.signal === undefined) !== (input.field === undefined), 'set exactly one of signal or field');

export type RiskInput = z.infer<typeof riskInputSchema>;

export const riskScoreParams = z.strictObject({
  /** Logit of the score when every term is zero. */
  bias: z.number(),
  inputs: z.array(riskInputSchema).min(1),
  /** A finding (kind `risk.score`) for every event scoring at or above this. */
  emitAbove: z.number().min(0).max(1).default(0.5),
  severity: z.enum(SEVERITIES).default('high'),
  /** Events scoring at or above this get `critical` instead. */
  criticalAbove: z.number().min(0).max(1).optional(),
});

export type RiskScoreParams = z.infer<typeof riskScoreParams>;

/** The name a contribution is reported under. */
export function inputName(input: RiskInput): string {
  if (input.name) return input.name;
  return (input.signal ?? input.field!).replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}
