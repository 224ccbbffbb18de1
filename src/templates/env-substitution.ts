import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { formatPath } from '../model/template/template-problems.js';

/**
 * `${VAR}` and `${VAR:-default}` in template values, resolved from an environment the caller
 * passes in (Vigil reads process.env in one place only, the config).
 *
 * Substitution walks the parsed YAML document, not the raw text, so a value can never break YAML
 * quoting or inject structure, and only values are substituted (never keys). Semantics follow the
 * shell: `${VAR:-default}` uses the default when VAR is unset or empty, `${VAR}` accepts an empty
 * value, `$${` is a literal `${`. A plain (unquoted) scalar that is exactly one reference takes the
 * type of its value (`rate: ${SIM_RATE:-200}` is the number 200); quoted scalars stay strings.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvProblem {
  /** Where in the template, e.g. `alerts.receivers[0].secret`. */
  readonly path: string;
  readonly message: string;
}

export type ExpandResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly messages: string[] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SINGLE_REFERENCE = /^\$\{[^}]*\}$/;

/** Expands every reference in `text`; reports every unresolvable one, not just the first. */
export function expandVariables(text: string, env: Env): ExpandResult {
  const messages: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      messages.push(`unterminated variable reference "${text.slice(dollar)}"; expected \${NAME} or \${NAME:-default}`);
      break;
    }
    const reference = text.slice(dollar + 2, close);
    const separator = reference.indexOf(':-');
    const name = separator === -1 ? reference : reference.slice(0, separator);
    const fallback = separator === -1 ? undefined : reference.slice(separator + 2);
    i = close + 1;
    if (!NAME.test(name)) {
      messages.push(`malformed variable reference "\${${reference}}"; expected \${NAME} or \${NAME:-default}`);
      continue;
    }
    const value = env[name];
    if (fallback !== undefined) out += value === undefined || value === '' ? fallback : value;
    else if (value !== undefined) out += value;
    else messages.push(`environment variable ${name} is not set and has no default (write \${${name}:-default} to give one)`);
  }
  return messages.length === 0 ? { ok: true, value: out } : { ok: false, messages };
}

/** Substitutes in place in every string scalar value of `doc`; returns every problem found. */
export function substituteEnv(doc: Document, env: Env): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    // Aliases point at a node substituted where its anchor is defined.
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        visit(pair.value, [...path, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const original = node.value;
      const result = expandVariables(original, env);
      if (!result.ok) {
        for (const message of result.messages) problems.push({ path: formatPath(path), message });
        return;
      }
      node.value = node.type === 'PLAIN' && SINGLE_REFERENCE.test(original) ? asPlainScalar(result.value) : result.value;
    }
  };
  visit(doc.contents as Node | null, []);
  return problems;
}

/** How YAML's core schema would read an unquoted number or boolean; anything else stays text. */
function asPlainScalar(text: string): string | number | boolean {
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  return text;
}
