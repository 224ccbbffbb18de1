/**
 * What Grafana and the ClickHouse plugin (v4.6+) do to a panel's SQL before ClickHouse sees it,
 * for tests that run dashboard SQL without a Grafana server (facts: shared reference
 * grafana-clickhouse.md). Order matters and follows the plugin: `$__conditionalAll` first (in the
 * frontend, reading the variables' raw current values), then Grafana's variable substitution,
 * then the backend's time macros.
 */

export interface VariableState {
  /** What the dashboard has selected: a value, several, or `$__all`. */
  readonly current: string | readonly string[];
  /** The variable's options, which Grafana substitutes for All (when it has no custom all value). */
  readonly options?: readonly string[];
}

export interface PanelRequest {
  readonly fromMs: number;
  readonly toMs: number;
  /** The panel's query interval. */
  readonly intervalMs: number;
  readonly variables: Readonly<Record<string, VariableState>>;
}

export function interpolatePanelSql(sql: string, request: PanelRequest): string {
  return expandTimeMacros(substituteVariables(applyConditionalAll(sql, request.variables), request.variables), request);
}

const CONDITIONAL_ALL = '$__conditionalAll(';

/** `$__conditionalAll(cond, $var)`: `1=1` when $var is All or empty, else `cond` (variables in it are substituted later). */
export function applyConditionalAll(sql: string, variables: Readonly<Record<string, VariableState>>): string {
  let out = sql;
  for (let at = out.lastIndexOf(CONDITIONAL_ALL); at !== -1; at = out.lastIndexOf(CONDITIONAL_ALL)) {
    const call = macroCall(out, at + CONDITIONAL_ALL.length - 1);
    if (call.args.length !== 2) throw new Error(`$__conditionalAll takes 2 arguments, got ${call.args.length}: ${out.slice(at, call.end)}`);
    const name = /\$\{(\w+)\}|\$(\w+)/.exec(call.args[1]!.trim());
    const variable = name ? variables[name[1] ?? name[2]!] : undefined;
    const value = variable === undefined ? undefined : [variable.current].flat().join(',');
    const phrase = value === '' || value === '$__all' ? '1=1' : call.args[0]!;
    out = out.slice(0, at) + phrase + out.slice(call.end);
  }
  return out;
}

/** Grafana's syntaxes `$name`, `${name}`, `${name:format}`, `[[name]]`; unknown names (macros) stay. */
export function substituteVariables(sql: string, variables: Readonly<Record<string, VariableState>>): string {
  return sql.replace(/\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g, (match, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, format?: string) => {
    const name = plain ?? bracket ?? braced!;
    const variable = variables[name];
    if (variable === undefined) return match;
    const values = [variable.current].flat();
    const chosen = values.includes('$__all') ? [...(variable.options ?? [])] : values;
    return formatValues(chosen, format ?? bracketFormat, Array.isArray(variable.current) || values.includes('$__all'));
  });
}

function formatValues(values: readonly string[], format: string | undefined, multi: boolean): string {
  switch (format) {
    case 'singlequote':
      return values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return values.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(',');
    case 'csv':
      return values.join(',');
    case 'raw':
    case undefined:
      // Grafana's default for several values is a glob, `{a,b}`.
      return multi && values.length > 1 ? `{${values.join(',')}}` : values.join(',');
    default:
      throw new Error(`variable format ${format} is not supported by this test helper`);
  }
}

/** The plugin backend's macros, as in the reference table. */
export function expandTimeMacros(sql: string, request: PanelRequest): string {
  const fromS = Math.floor(request.fromMs / 1000);
  const toS = Math.floor(request.toMs / 1000);
  const intervalS = Math.max(Math.trunc(request.intervalMs / 1000), 1);
  const intervalMs = Math.max(Math.trunc(request.intervalMs), 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const withColumn: Record<string, (column: string) => string> = {
    timeFilter: (c) => `${c} >= toDateTime(${fromS}) AND ${c} <= toDateTime(${toS})`,
    timeFilter_ms: (c) => `${c} >= fromUnixTimestamp64Milli(${request.fromMs}) AND ${c} <= fromUnixTimestamp64Milli(${request.toMs})`,
    dateFilter: (c) => `${c} >= toDate('${day(request.fromMs)}') AND ${c} <= toDate('${day(request.toMs)}')`,
    timeInterval: (c) => `toStartOfInterval(toDateTime(${c}), INTERVAL ${intervalS} second)`,
    timeInterval_ms: (c) => `toStartOfInterval(toDateTime64(${c}, 3), INTERVAL ${intervalMs} millisecond)`,
  };
  const bare: Record<string, string> = {
    fromTime: `toDateTime(${fromS})`,
    toTime: `toDateTime(${toS})`,
    fromTime_ms: `fromUnixTimestamp64Milli(${request.fromMs})`,
    toTime_ms: `fromUnixTimestamp64Milli(${request.toMs})`,
    interval_s: String(intervalS),
  };
  let out = sql;
  for (let match = /\$__(\w+)/.exec(out); match; match = /\$__(\w+)/.exec(out)) {
    const name = match[1]!;
    const start = match.index;
    const afterName = start + match[0].length;
    const expand = withColumn[name];
    if (expand && out[afterName] === '(') {
      const call = macroCall(out, afterName);
      if (call.args.length !== 1) throw new Error(`$__${name} takes one column, got: ${out.slice(start, call.end)}`);
      out = out.slice(0, start) + expand(call.args[0]!.trim()) + out.slice(call.end);
    } else if (bare[name] !== undefined) {
      out = out.slice(0, start) + bare[name] + out.slice(afterName);
    } else {
      throw new Error(`unknown macro $__${name}`);
    }
  }
  return out;
}

/** The arguments of a macro call whose `(` is at `open` (top-level commas split), and the index after its `)`. */
function macroCall(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let argStart = open + 1;
  for (let i = open; i < sql.length; i++) {
    const char = sql[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    if (char === ',' && depth === 1) {
      args.push(sql.slice(argStart, i));
      argStart = i + 1;
    }
    if (depth === 0) {
      args.push(sql.slice(argStart, i));
      return { args, end: i + 1 };
    }
  }
  throw new Error(`unbalanced parentheses in macro call: ${sql.slice(open - 20, open + 60)}`);
}
