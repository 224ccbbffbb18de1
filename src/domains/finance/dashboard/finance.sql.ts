import { TEMPLATE_IS } from '../../../dashboards/sql-filters.js';

/**
 * An alert's explanation, read from the finding it carries: the values compared (the risk score's
 * `contrib.<signal>` contributions first, largest first), e.g. "count 7, amount 105", and the
 * thresholds they were compared with, e.g. "max_amount 3000, max_count 6".
 */
export function alertExplanationsSql(detectorFilter: string, entityFilter: string): string {
  return `WITH
  JSONExtract(finding, 'values', 'Map(String, Float64)') AS vals,
  JSONExtract(finding, 'thresholds', 'Map(String, Float64)') AS limits,
  arraySort(kv -> (NOT startsWith(kv.1, 'contrib.'), -kv.2), arrayZip(mapKeys(vals), mapValues(vals))) AS ordered
SELECT time, severity, detector, entity, title,
  arrayStringConcat(arrayMap(kv -> concat(kv.1, ' ', toString(round(kv.2, 3))), ordered), ', ') AS explanation,
  arrayStringConcat(arrayMap((k, x) -> concat(k, ' ', toString(x)), mapKeys(limits), mapValues(limits)), ', ') AS thresholds,
  round(JSONExtractFloat(finding, 'score'), 3) AS score,
  id AS alert_id
FROM alerts
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detectorFilter} AND ${entityFilter}
ORDER BY time DESC
LIMIT 200`;
}

/** Backtest metrics are per run; the panel shows the latest run's whole-period row per detector ('' = combined score). */
export function backtestSql(): string {
  const metrics = ['auc_roc', 'average_precision', 'card_precision_at_100', 'precision', 'recall', 'alerts', 'time_to_detection_ms', 'contribution'];
  return `SELECT if(detector = '', '(combined risk score)', detector) AS scored_by,
  ${metrics.map((metric) => `round(maxIfOrNull(value, metric = '${metric}'), 4) AS ${metric}`).join(',\n  ')},
  any(run_id) AS run, max(created_at) AS run_at
FROM backtest_metrics
WHERE ${TEMPLATE_IS} AND day = toDate('1970-01-01')
  AND run_id = (SELECT argMax(run_id, created_at) FROM backtest_metrics WHERE ${TEMPLATE_IS})
GROUP BY detector
ORDER BY detector`;
}
