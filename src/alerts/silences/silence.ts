import { z } from 'zod';
import { ALERT_LABELS, alertLabels } from '../../model/template/alert-labels.js';
import type { Alert } from '../../model/records.js';

/** Alertmanager's four matcher operators; regexes are anchored (the whole value must match). */
export const matcherSchema = z.strictObject({
  name: z.enum(ALERT_LABELS),
  value: z.string(),
  op: z.enum(['=', '!=', '=~', '!~']).default('='),
});
export type Matcher = z.infer<typeof matcherSchema>;

/**
 * A silence: alerts whose labels match every matcher and whose EVENT time (the finding's time)
 * lies in [starts_at, ends_at) are not sent. Event time, not arrival time, so a replay or a
 * backlog processed later is silenced the same way. Times are epoch ms.
 */
export const silenceSchema = z
  .strictObject({
    id: z.string().min(1).max(100),
    matchers: z.array(matcherSchema).min(1, 'a silence needs at least one matcher'),
    starts_at: z.number().int(),
    ends_at: z.number().int(),
    created_by: z.string().max(200).default(''),
    comment: z.string().max(2000).default(''),
    created_at: z.number().int(),
  })
  .refine((silence) => silence.ends_at > silence.starts_at, { message: 'ends_at must be after starts_at', path: ['ends_at'] })
  .superRefine((silence, ctx) => {
    silence.matchers.forEach((matcher, index) => {
      if (matcher.op !== '=~' && matcher.op !== '!~') return;
      try {
        new RegExp(matcher.value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a valid regular expression', path: ['matchers', index, 'value'] });
      }
    });
  });
export type Silence = z.infer<typeof silenceSchema>;

export function silences(silence: Silence, alert: Alert): boolean {
  const time = alert.finding.time;
  if (time < silence.starts_at || time >= silence.ends_at) return false;
  const labels = alertLabels(alert);
  return silence.matchers.every((matcher) => matches(matcher, labels[matcher.name]));
}

export function matches(matcher: Matcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}
