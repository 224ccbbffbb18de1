import type { Rule, RuleSpec } from '../model/template/rule.schema.js';
import { formatDuration } from '../model/template/duration.js';

/** A parsed rule as written again (durations as text, defaults filled in), as the rules topic stores it. */
export function specOf(rule: Rule): RuleSpec {
  const { version: _version, ...rest } = rule;
  return { ...rest, window: formatDuration(rule.window) };
}
