import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { CLICKHOUSE_DATASOURCE } from './clickhouse.datasource.js';
import { ClickHouseQueryBuilder, QueryFormat } from './clickhouse-query.js';

/**
 * Panel constructors, one per visualisation Vigil uses. Each panel has exactly one ClickHouse
 * query, and its visualisation fixes the result shape the query must have (the panel SQL test in
 * test/integration/dashboards.int-spec.ts checks each against real data):
 * - timeseries: format time series, first column `time` (a DateTime), then numeric values and
 *   optional string labels (long rows, which the plugin pivots into one series per label);
 * - stat: one row of numbers;
 * - barchart: a string category column, then numbers;
 * - table: any columns.
 */
export interface PanelSpec {
  readonly title: string;
  readonly sql: string;
  readonly description?: string;
  readonly unit?: string;
  /** Grid width out of 24 (default 12) and height in rows (default 8). */
  readonly width?: number;
  readonly height?: number;
}

export function timeSeriesPanel(spec: PanelSpec): timeseries.PanelBuilder {
  return common(new timeseries.PanelBuilder(), spec, QueryFormat.TimeSeries).lineWidth(1).fillOpacity(10).spanNulls(false);
}

export function statPanel(spec: PanelSpec): stat.PanelBuilder {
  return common(new stat.PanelBuilder(), { width: 6, height: 4, ...spec }, QueryFormat.Table);
}

export function barChartPanel(spec: PanelSpec): barchart.PanelBuilder {
  return common(new barchart.PanelBuilder(), spec, QueryFormat.Table);
}

export function tablePanel(spec: PanelSpec): table.PanelBuilder {
  return common(new table.PanelBuilder(), spec, QueryFormat.Table);
}

interface CommonPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  unit(unit: string): this;
  datasource(datasource: typeof CLICKHOUSE_DATASOURCE): this;
  withTarget(target: ClickHouseQueryBuilder): this;
  span(w: number): this;
  height(h: number): this;
}

function common<T extends CommonPanelBuilder>(builder: T, spec: PanelSpec, format: QueryFormat): T {
  builder
    .title(spec.title)
    .datasource(CLICKHOUSE_DATASOURCE)
    .withTarget(new ClickHouseQueryBuilder(spec.sql, format))
    .span(spec.width ?? 12)
    .height(spec.height ?? 8);
  if (spec.description) builder.description(spec.description);
  if (spec.unit) builder.unit(spec.unit);
  return builder;
}
