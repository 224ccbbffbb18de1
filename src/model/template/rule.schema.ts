import { z } from 'zod';
import { SEVERITIES } from '../records.js';
import { DEFAULT_BUCKETS } from './window-buckets.js';
import { duration } from './duration.js';

export const RULE_AGGREGATES = ['count', 'sum', 'avg', 'max', 'min'] as const;
export type RuleAggregate = (typeof RULE_AGGREGATES)[number];

export const RULE_OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const FILTER_OPERATORS = ['==', '!=', '>', '>=', '<', '<=', 'in', 'not_in'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a canonical field name (lower_snake_case)');

/** One condition an event must meet to count for a rule; all of a rule's conditions must hold. */
export const ruleConditionSchema = z
  .strictObject({
    field: fieldName,
    op: z.enum(FILTER_OPERATORS).default('=='),
    value: z.union([scalar, z.array(scalar).min(1)]),
  })
  .superRefine((c, ctx) => {
    const list = c.op === 'in' || c.op === 'not_in';
    if (list !== Array.isArray(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: list ? `"${c.op}" needs a list of values` : `"${c.op}" needs a single value, not a list` });
    } else if (['>', '>=', '<', '<='].includes(c.op) && typeof c.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" compares numbers; got ${JSON.stringify(c.value)}` });
    }
  });
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

/**
 * A declarative rule, in the shape of Flink's dynamic-rules demo: per `key`, the `aggregate` of
 * `field` over a sliding event-time `window`, compared with `limit` by `operator`. Written in a
 * template's `rules:` or put at runtime with `vigil rules put`; both go through this schema.
 * `version` is assigned by the rules topic (a put increments it), never by hand.
 */
export const ruleSchema = z
  .strictObject({
    /** Unique per template; findings name it as their detector. */
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case id'),
    description: z.string().default(''),
    /** Canonical field(s) the aggregate is kept per, e.g. card_id or [customer_id, terminal_id]. */
    key: z.union([fieldName, z.array(fieldName).min(1).max(4)]),
    aggregate: z.enum(RULE_AGGREGATES),
    /** Numeric field aggregated; not used by count. */
    field: fieldName.optional(),
    /** Sliding event-time look-back ending at each event of the key. */
    window: duration,
    operator: z.enum(RULE_OPERATORS),
    limit: z.number().finite(),
    severity: z.enum(SEVERITIES).default('high'),
    /** Only events meeting every condition count. */
    filter: z.array(ruleConditionSchema).default([]),
    /** Time buckets per window: the old edge is rounded to window / buckets (see SlidingAggregate). */
    buckets: z.number().int().min(1).max(600).default(DEFAULT_BUCKETS),
    enabled: z.boolean().default(true),
    version: z.number().int().min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.aggregate !== 'count' && rule.field === undefined) {
      ctx.addIssue({ code: 'custom', path: ['field'], message: `required for aggregate "${rule.aggregate}"` });
    }
    if (rule.aggregate === 'count' && rule.field !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'not used by aggregate "count"; remove it' });
    }
  });

/** A rule as parsed (window in ms, defaults applied). */
export type Rule = z.infer<typeof ruleSchema>;
/** A rule as written (window like "10m"), which is what the rules topic stores. */
export type RuleSpec = z.input<typeof ruleSchema>;

/** The key fields of a rule as a list. */
export function ruleKeyFields(rule: Pick<Rule, 'key'>): string[] {
  return typeof rule.key === 'string' ? [rule.key] : [...rule.key];
}

/** Every canonical event field a rule reads: key fields, the aggregated field and filter fields. */
export function ruleFields(rule: Rule): string[] {
  const fields = new Set(ruleKeyFields(rule));
  if (rule.field !== undefined) fields.add(rule.field);
  for (const condition of rule.filter) fields.add(condition.field);
  return [...fields];
}
