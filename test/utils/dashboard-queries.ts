import type { ClickHouseClient } from '@clickhouse/client';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { isClickHouseQuery } from '../../src/dashboards/clickhouse-query.js';
import { interpolatePanelSql, type PanelRequest, type VariableState } from '../../src/dashboards/testing/grafana-sql.js';

/** One SQL a dashboard runs: a panel's query, the alert annotation, or a variable's options query. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly title: string;
  /** Panel type (timeseries, stat, barchart, table), or `annotation` / `variable`. */
  readonly kind: string;
  readonly sql: string;
}

export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const uid = dashboard.uid ?? '?';
  const queries: DashboardQuery[] = [];
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query' && typeof variable.query === 'string') queries.push({ dashboard: uid, title: `$${variable.name}`, kind: 'variable', sql: variable.query });
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (isClickHouseQuery(annotation.target)) queries.push({ dashboard: uid, title: annotation.name, kind: 'annotation', sql: annotation.target.rawSql });
  }
  for (const panel of dashboard.panels ?? []) {
    const targets = 'targets' in panel ? (panel.targets ?? []) : [];
    for (const target of targets) {
      if (isClickHouseQuery(target)) queries.push({ dashboard: uid, title: panel.title ?? '?', kind: panel.type, sql: target.rawSql });
    }
  }
  return queries;
}

export interface ColumnMeta {
  readonly name: string;
  readonly type: string;
}

export interface QueryResult {
  readonly sql: string;
  readonly meta: readonly ColumnMeta[];
  readonly data: readonly Record<string, unknown>[];
}

export async function runDashboardQuery(client: ClickHouseClient, query: DashboardQuery, request: PanelRequest): Promise<QueryResult> {
  const sql = interpolatePanelSql(query.sql, request);
  try {
    const result = await client.query({ query: sql, format: 'JSON' });
    const body = await result.json<Record<string, unknown>>();
    return { sql, meta: body.meta as ColumnMeta[], data: body.data };
  } catch (error) {
    throw new Error(`${query.dashboard} / ${query.title}: ${error instanceof Error ? error.message : String(error)}\n${sql}`, { cause: error });
  }
}

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal.*)\)?$/;
const TIME = /^(Nullable\()?DateTime(64)?(\(.*\))?\)?$/;
const TEXT = /^(Nullable\()?(LowCardinality\()?String\)?\)?$/;

/**
 * The result shape each visualisation needs (see src/dashboards/panels.ts). Returns the problems
 * found, empty when the result fits.
 */
export function shapeProblems(kind: string, result: QueryResult): string[] {
  const problems: string[] = [];
  const [first, ...rest] = result.meta;
  const numeric = rest.filter((c) => NUMERIC.test(c.type));
  switch (kind) {
    case 'timeseries':
      if (first?.name !== 'time' || !TIME.test(first.type)) problems.push(`first column must be time (DateTime), got ${first?.name} ${first?.type}`);
      if (numeric.length === 0) problems.push('no numeric value column');
      for (const c of rest) if (!NUMERIC.test(c.type) && !TEXT.test(c.type)) problems.push(`column ${c.name} ${c.type} is neither a value nor a label`);
      break;
    case 'stat':
      if (result.data.length !== 1) problems.push(`expected one row, got ${result.data.length}`);
      for (const c of result.meta) if (!NUMERIC.test(c.type)) problems.push(`column ${c.name} ${c.type} is not numeric`);
      break;
    case 'barchart':
      if (!first || !TEXT.test(first.type)) problems.push(`first column must be a string category, got ${first?.type}`);
      if (numeric.length === 0) problems.push('no numeric value column');
      break;
    case 'annotation':
      for (const [name, type] of [['time', TIME], ['text', TEXT]] as const) {
        if (!result.meta.some((c) => c.name === name && type.test(c.type))) problems.push(`annotation needs a ${name} column`);
      }
      break;
    case 'variable':
      if (result.meta.length !== 1 || !TEXT.test(result.meta[0]!.type)) problems.push('a variable query returns one string column');
      break;
    case 'table':
      if (result.meta.length === 0) problems.push('no columns');
      break;
    default:
      problems.push(`no shape rule for panel type ${kind}`);
  }
  return problems;
}

/** Values of every variable, as the dashboard would hold them; All is expanded from each variable's own query. */
export async function dashboardVariables(
  client: ClickHouseClient,
  dashboard: Dashboard,
  request: Omit<PanelRequest, 'variables'>,
  chosen: Readonly<Record<string, VariableState>>,
): Promise<Record<string, VariableState>> {
  const variables: Record<string, VariableState> = {};
  for (const variable of dashboard.templating?.list ?? []) {
    const name = variable.name;
    if (variable.type === 'constant' || variable.type === 'textbox') {
      variables[name] = chosen[name] ?? { current: typeof variable.query === 'string' ? variable.query : '' };
    } else if (variable.type === 'query' && typeof variable.query === 'string') {
      const result = await runDashboardQuery(client, { dashboard: dashboard.uid ?? '?', title: `$${name}`, kind: 'variable', sql: variable.query }, { ...request, variables });
      const options = result.data.map((row) => String(Object.values(row)[0]));
      variables[name] = { current: chosen[name]?.current ?? ['$__all'], options };
    }
  }
  return variables;
}
