import { parseRule } from '../detectors/rule/rule.checks.js';
import type { RuleSpec } from '../model/template/rule.schema.js';
import { VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';
import { renderProblem } from '../model/template/template-problems.js';
import { specOf } from './rule-spec.js';

/**
 * A rule someone wants to put (CLI file, API body), validated against the template; throws
 * VIGIL_RULE_INVALID listing every problem as `<source>: <path>: <message>`, one per line. What is
 * returned is the rule as it will be stored: as written, with defaults filled in, no version.
 */
export function ruleToPut(input: unknown, template: Template, source: string): RuleSpec {
  const parsed = parseRule(input, template, '');
  if (parsed.problems) throw new VigilError('VIGIL_RULE_INVALID', parsed.problems.map((problem) => renderProblem(source, problem)).join('\n'));
  if ((input as { version?: unknown }).version !== undefined) {
    throw new VigilError('VIGIL_RULE_INVALID', `${source}: version: set by the rules topic (a put increments it); remove it`);
  }
  return specOf(parsed.rule);
}
