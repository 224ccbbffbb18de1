import path from 'node:path';
import { VigilError } from '../../errors/vigil-error.js';

/**
 * What is wrong in a template, and where. Every stage of loading reports problems in this shape and
 * the loader renders them all at once, one line each:
 *   templates/finance/template.yaml: detectors[0].params.window: expected duration like "5m", got "5 minutes"
 *   templates/finance/template.yaml:4:3: Map keys must be unique
 */
export interface TemplateProblem {
  /** Location in the document, as rendered by `formatPath`; empty for the template as a whole. */
  readonly path: string;
  readonly message: string;
  /** Source position (1-based), known for YAML syntax errors. */
  readonly line?: number;
  readonly col?: number;
}

/** Renders a location the way users read it: `detectors[0].params.window`; odd keys are quoted. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Appends segments to an already formatted path: `joinPath('detectors[0].params', ['window'])`. */
export function joinPath(prefix: string, segments: readonly PropertyKey[]): string {
  const rest = formatPath(segments);
  if (prefix === '') return rest;
  if (rest === '') return prefix;
  return rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`;
}

/** The file as users typed it: relative to the working directory when it is below it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function renderProblem(file: string, problem: TemplateProblem): string {
  const where = problem.line === undefined ? displayPath(file) : `${displayPath(file)}:${problem.line}:${problem.col ?? 1}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

/** One VIGIL_TEMPLATE_INVALID error listing every problem, one per line. */
export function templateInvalid(file: string, problems: readonly TemplateProblem[], cause?: unknown): VigilError {
  const message = problems.map((problem) => renderProblem(file, problem)).join('\n');
  return new VigilError('VIGIL_TEMPLATE_INVALID', message, { cause });
}
