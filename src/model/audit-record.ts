import { z } from 'zod';

/**
 * One change made through the API, as it travels on `vigil.<template>.audit` and lands in the
 * `audit_log` table: who (the token's name and role), what, the target's state before and after
 * (JSON, '' when there was none), and when. Secrets never enter it: rules and silences hold none.
 */
export const AUDIT_ACTIONS = ['rule.put', 'rule.delete', 'silence.create', 'silence.expire', 'patient.acknowledge'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditRecordSchema = z.object({
  time: z.number().int().nonnegative(),
  template: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string(),
  before: z.string(),
  after: z.string(),
});

export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** The topic of a template's audit records (one partition: a single ordered history). */
export function auditTopic(template: { readonly name: string }): string {
  return `vigil.${template.name}.audit`;
}
