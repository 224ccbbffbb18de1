import type { Template } from '../../model/template/template.schema.js';
import type { TemplateProblem } from '../../model/template/template-problems.js';
import { didYouMean, ZOD_PARSE_OPTIONS, zodProblems } from '../../model/template/zod-problems.js';
import { ruleKeyFields, ruleSchema, type Rule } from '../../model/template/rule.schema.js';

/** A rule parsed and checked against a template, or every problem found, paths under `prefix`. */
export type RuleParse = { readonly rule: Rule; readonly problems?: undefined } | { readonly rule?: undefined; readonly problems: TemplateProblem[] };

/**
 * Parses a rule with the one rule schema and checks it against the template: every field it reads
 * is an event field, an aggregated field is numeric, and its id is not a detector's id (findings
 * name both the same way). The template's `rules:`, `vigil rules put` and the detect stage reading
 * the rules topic all go through here, so a rule is accepted or refused the same way everywhere.
 */
export function parseRule(input: unknown, template: Pick<Template, 'event' | 'detectors'>, prefix = 'rule'): RuleParse {
  const parsed = ruleSchema.safeParse(input, ZOD_PARSE_OPTIONS);
  if (!parsed.success) return { problems: zodProblems(parsed.error, ruleSchema, prefix) };
  const problems = checkRule(parsed.data, template, prefix);
  return problems.length > 0 ? { problems } : { rule: parsed.data };
}

export function checkRule(rule: Rule, template: Pick<Template, 'event' | 'detectors'>, prefix: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const at = (rest: string) => (prefix === '' ? rest : rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`);
  const fields = template.event.fields;
  const names = Object.keys(fields);
  const unknown = (field: string) => `"${field}" is not a field in event.fields${didYouMean(field, names)}`;
  ruleKeyFields(rule).forEach((field, index) => {
    if (fields[field] === undefined) problems.push({ path: typeof rule.key === 'string' ? at('key') : at(`key[${index}]`), message: unknown(field) });
  });
  if (rule.field !== undefined) {
    const spec = fields[rule.field];
    if (spec === undefined) problems.push({ path: at('field'), message: unknown(rule.field) });
    else if (spec.type !== 'number' && spec.type !== 'integer') {
      problems.push({ path: at('field'), message: `aggregate "${rule.aggregate}" needs a number field; "${rule.field}" has type ${spec.type}` });
    }
  }
  rule.filter.forEach((condition, index) => {
    if (fields[condition.field] === undefined) problems.push({ path: at(`filter[${index}].field`), message: unknown(condition.field) });
  });
  if (template.detectors.some((detector) => detector.id === rule.id)) {
    problems.push({ path: at('id'), message: `"${rule.id}" is already a detector id; findings name rules and detectors alike, so ids must differ` });
  }
  return problems;
}

/** The template's own `rules:`: each valid, ids unique. */
export function checkTemplateRules(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const first = new Map<string, number>();
  template.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    const earlier = first.get(rule.id);
    if (earlier !== undefined) problems.push({ path: `${at}.id`, message: `duplicate rule id "${rule.id}" (also rules[${earlier}])` });
    else first.set(rule.id, index);
    if (rule.version !== undefined) problems.push({ path: `${at}.version`, message: 'set by the rules topic (template rules seed it at version 1); remove it' });
    problems.push(...checkRule(rule, template, at));
  });
  return problems;
}
