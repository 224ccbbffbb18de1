import type { Rule, RuleSpec } from '../detectors/rule/rule.schema.js';
import { formatDuration } from '../templates/duration.js';

/** A parsed rule as written again (durations as text, defaults filled in), as the rules topic stores it. */
export function specOf(rule: Rule): RuleSpec {
  const { version: _version, ...rest } = rule;
  return { ...rest, window: formatDuration(rule.window) };
}
