import { parse as parseYaml } from 'yaml';
import type { RuleSpec } from '../model/template/rule.schema.js';
import { describeError, VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';
import { ruleToPut } from './rule-input.js';

/** A rule file's text (JSON or YAML) parsed and validated against the template. */
export function parseRuleText(text: string, source: string, template: Template): RuleSpec {
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (error) {
    throw new VigilError('VIGIL_RULE_INVALID', `${source}: not JSON or YAML: ${describeError(error).split('\n')[0]}`, { cause: error });
  }
  return ruleToPut(input, template, source);
}
