import type { Alert } from '../model/records.js';
import { toDateTime64 } from '../sink/datetime64.js';
import { qualifiedTable } from '../sink/identifiers.js';

/**
 * "Why it fired", carried by every notification: which detector (or rule) at which version, the
 * event-time window, each value next to the threshold it was compared with, the contributing
 * events, where to look (the template's dashboard filtered to the entity and time) and the SQL that
 * shows the finding's evidence in ClickHouse.
 */
export interface AlertExplanation {
  readonly detector: { readonly id: string; readonly type: string; readonly version: string };
  readonly window: { readonly start: number; readonly end: number };
  readonly comparisons: readonly Comparison[];
  readonly event_ids: readonly string[];
  readonly dashboard_url: string;
  readonly sql: string;
}

export interface Comparison {
  readonly name: string;
  readonly value: number;
  /** The threshold it was compared with; absent when the detector reports none for it. */
  readonly threshold?: number;
  readonly threshold_name?: string;
}

export interface ExplanationContext {
  /** `VIGIL_GRAFANA_URL`, without a trailing slash. */
  readonly grafanaUrl: string;
  readonly database: string;
  /** The template's events table. */
  readonly eventsTable: string;
}

/** Dashboards show 15 minutes either side of the window, so the lead-up and aftermath are visible. */
const DASHBOARD_MARGIN_MS = 15 * 60_000;

export function explainAlert(alert: Alert, context: ExplanationContext): AlertExplanation {
  const f = alert.finding;
  return {
    detector: { id: f.detector, type: f.detector_type, version: f.detector_version },
    window: { start: f.window_start, end: f.window_end },
    comparisons: compare(f.values, f.thresholds),
    event_ids: f.event_ids,
    dashboard_url: dashboardUrl(alert, context.grafanaUrl),
    sql: reproducingSql(alert, context),
  };
}

/** The CONTRACTS.md link: `<grafana>/d/vigil-<template>?var-entity=…&var-detector=…&from=…&to=…`. */
export function dashboardUrl(alert: Alert, grafanaUrl: string): string {
  const f = alert.finding;
  const query = new URLSearchParams({
    'var-entity': f.entity,
    'var-detector': f.detector,
    from: String(f.window_start - DASHBOARD_MARGIN_MS),
    to: String(f.window_end + DASHBOARD_MARGIN_MS),
  });
  return `${grafanaUrl.replace(/\/+$/, '')}/d/vigil-${encodeURIComponent(alert.template)}?${query.toString()}`;
}

/**
 * The evidence as SQL: the finding row itself and, joined to it, the contributing events of the
 * window from the template's events table. Values are literals (not parameters) so the text runs
 * as-is in `vigil query`, clickhouse-client or Grafana; they are escaped as ClickHouse strings.
 */
export function reproducingSql(alert: Alert, context: ExplanationContext): string {
  const f = alert.finding;
  // A storm-guard digest summarises alerts, not events: its evidence is those alerts.
  if (f.kind === 'storm_guard.digest') {
    return `SELECT * FROM ${qualifiedTable(context.database, 'alerts')} WHERE id IN (${f.event_ids.map(literal).join(', ')}) ORDER BY time`;
  }
  const events = qualifiedTable(context.database, context.eventsTable);
  const ids = f.event_ids.length > 0 ? f.event_ids.map(literal).join(', ') : literal(f.trigger_event_id);
  return [
    `SELECT e.* FROM ${events} AS e`,
    `WHERE e.event_time BETWEEN ${time(f.window_start)} AND ${time(f.window_end)}`,
    `  AND e.event_id IN (${ids})`,
    `ORDER BY e.event_time`,
  ].join('\n');
}

/**
 * Pairs each value with its threshold: the same name, or the name with a `max_`/`min_` prefix
 * (detectors report `count` against `max_count`). Values without a threshold are listed alone.
 */
function compare(values: Readonly<Record<string, number>>, thresholds: Readonly<Record<string, number>>): Comparison[] {
  return Object.entries(values).map(([name, value]) => {
    const thresholdName = [name, `max_${name}`, `min_${name}`].find((candidate) => candidate in thresholds);
    return thresholdName === undefined ? { name, value } : { name, value, threshold: thresholds[thresholdName]!, threshold_name: thresholdName };
  });
}

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function time(ms: number): string {
  return `toDateTime64('${toDateTime64(ms)}', 3, 'UTC')`;
}
