import { createHash } from 'node:crypto';
import { defineDetector, type DetectorContext, type DetectorInstance } from '../../model/detector.js';
import type { FieldValue, VigilEvent } from '../../model/records.js';
import { SlidingAggregate, type SlidingWindow } from '../../runtime/windows/sliding-aggregate.js';
import { ruleFields, ruleKeyFields, ruleSchema, type Rule, type RuleCondition, type RuleOperator } from '../../model/template/rule.schema.js';

/** Header slot of each key's window: event time up to which findings for the key are suppressed. */
const QUIET_UNTIL = 0;

/**
 * The `rule` detector: evaluates ONE declarative rule (see rule.schema.ts) per event, over a
 * bucketed sliding event-time window per key (SlidingAggregate, as velocity). It fires when the
 * aggregate of the key's window, as of the event, meets the rule's comparison, then stays quiet for
 * that key for one window length, so a sustained breach yields one finding per window, not one per
 * event. Instances are created by the runtime per rule (from the template's `rules:` and the rules
 * topic); findings carry the rule's id and version.
 *
 * The window's state lives in a store named after what the state means (key, field, filter,
 * window, buckets, min/max): a new version that changes only the limit, operator or severity keeps
 * the running windows, while one that changes what is aggregated starts from empty windows (and the
 * runtime drops the old store).
 */
export const ruleDetector = defineDetector<Rule>({
  meta: {
    name: 'rule',
    version: '1',
    description: 'A declarative rule: an aggregate of a field per key over a sliding window, compared with a limit',
    params: ruleSchema,
    requiredFields: ruleFields,
    stateTtl: (rule) => rule.window,
  },
  create(context: DetectorContext, rule: Rule): DetectorInstance {
    const windows = SlidingAggregate.open(context, ruleStoreName(rule), {
      window: rule.window,
      buckets: rule.buckets,
      minMax: rule.aggregate === 'max' || rule.aggregate === 'min',
      header: 1,
    });
    const keyFields = ruleKeyFields(rule);
    return {
      process(event: VigilEvent): void {
        if (!passes(rule.filter, event)) return;
        const key = entityOf(keyFields, event);
        if (key === undefined) return;
        let value = 0;
        if (rule.field !== undefined) {
          const raw = event.fields[rule.field];
          // An event without a number in the field says nothing about a sum or an extreme: skip it.
          if (typeof raw !== 'number' || !Number.isFinite(raw)) return;
          value = raw;
        }
        const window = windows.add(key, event.time, value);
        if (!window) return;
        const observed = aggregateOf(rule, window);
        if (!compare(observed, rule.operator, rule.limit) || event.time < windows.header(key, QUIET_UNTIL)!) return;

        windows.setHeader(key, QUIET_UNTIL, event.time + rule.window);
        const what = rule.aggregate === 'count' ? 'count' : `${rule.aggregate} of ${rule.field}`;
        context.emit({
          entity: key,
          severity: rule.severity,
          kind: `rule.${rule.aggregate}`,
          title: `${what} for ${keyFields.join('+')} ${key} within ${formatWindow(rule.window)} is ${round2(observed)} (rule ${rule.id}: ${rule.operator} ${rule.limit})`,
          windowStart: window.start,
          windowEnd: window.end,
          values: { [rule.aggregate]: round2(observed), count: window.count },
          thresholds: { limit: rule.limit },
          eventIds: [event.id],
        });
      },
    };
  },
});

/** The store a rule's windows live in, named by everything that gives the stored numbers their meaning. */
export function ruleStoreName(rule: Rule): string {
  const shape = JSON.stringify([ruleKeyFields(rule), rule.field ?? null, rule.filter, rule.window, rule.buckets, rule.aggregate === 'max' || rule.aggregate === 'min']);
  return `w.${createHash('sha256').update(shape).digest('hex').slice(0, 12)}`;
}

/** Whether the event meets every condition (a loop: a closure per event and rule is garbage). */
function passes(filter: readonly RuleCondition[], event: VigilEvent): boolean {
  for (const condition of filter) if (!matches(condition, event.fields[condition.field])) return false;
  return true;
}

function entityOf(keyFields: readonly string[], event: VigilEvent): string | undefined {
  if (keyFields.length === 1) {
    // The common case, without building a new string per event (a fresh string re-hashes in every map lookup).
    const value = event.fields[keyFields[0]!];
    return value === null || value === undefined || value === '' ? undefined : typeof value === 'string' ? value : String(value);
  }
  const parts: string[] = [];
  for (const field of keyFields) {
    const value = event.fields[field];
    if (value === null || value === undefined || value === '') return undefined;
    parts.push(String(value));
  }
  return parts.join('|');
}

function aggregateOf(rule: Rule, window: SlidingWindow): number {
  switch (rule.aggregate) {
    case 'count':
      return window.count;
    case 'sum':
      return window.sum;
    case 'avg':
      return window.sum / window.count;
    case 'max':
      return window.max!;
    case 'min':
      return window.min!;
  }
}

export function compare(observed: number, operator: RuleOperator, limit: number): boolean {
  switch (operator) {
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '==':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}

function matches(condition: RuleCondition, actual: FieldValue | undefined): boolean {
  if (actual === undefined || actual === null) return condition.op === '!=' || condition.op === 'not_in';
  const { op, value } = condition;
  if (Array.isArray(value)) {
    const found = value.some((candidate) => sameValue(actual, candidate));
    return op === 'in' ? found : !found;
  }
  switch (op) {
    case '==':
      return sameValue(actual, value);
    case '!=':
      return !sameValue(actual, value);
    default:
      return typeof actual === 'number' && typeof value === 'number' && compare(actual, op as RuleOperator, value);
  }
}

/** Strings and numbers compare by text, so "6011" in a rule matches a merchant code mapped as a number and vice versa. */
function sameValue(actual: FieldValue, expected: string | number | boolean): boolean {
  if (Array.isArray(actual)) return actual.some((item) => item === String(expected));
  return actual === expected || String(actual) === String(expected);
}

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
