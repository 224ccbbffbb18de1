import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { CLICKHOUSE_DATASOURCE } from './clickhouse.datasource.js';
import { ClickHouseQueryBuilder, QueryFormat } from './clickhouse-query.js';

/**
 * Alerts drawn on every time series of a dashboard: a marker at the alert's event time, spanning
 * its window, with the title as text. The plugin reads the columns `time`, `timeEnd` and `text`.
 * `templateFilter` is the dashboard's template condition (fixed or the overview's variable).
 */
export function alertAnnotations(templateFilter: string, detectorFilter: string, entityFilter: string): AnnotationQueryBuilder {
  const sql = `SELECT
  time,
  fromUnixTimestamp64Milli(JSONExtractInt(finding, 'window_end'), 'UTC') AS timeEnd,
  concat(upper(severity), ' · ', detector, ' · ', entity, ': ', title) AS text
FROM alerts
WHERE ${templateFilter} AND ${detectorFilter} AND ${entityFilter} AND $__timeFilter(time)
ORDER BY time
LIMIT 1000`;
  return new AnnotationQueryBuilder()
    .name('Alerts')
    .datasource(CLICKHOUSE_DATASOURCE)
    .enable(true)
    .iconColor('red')
    .target(new ClickHouseQueryBuilder(sql, QueryFormat.Table).refId('Anno'));
}
