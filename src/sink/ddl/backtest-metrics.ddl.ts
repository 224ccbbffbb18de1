import { qualifiedTable } from '../identifiers.js';

/**
 * One row per metric of a `vigil backtest` run: the combined risk score (detector '') and each
 * detector, per day and for the whole run (day 1970-01-01), so runs can be compared in SQL and on
 * dashboards. Metrics: auc_roc, average_precision, card_precision_at_100, precision, recall,
 * alerts, time_to_detection_ms, contribution.
 */
export function createBacktestMetricsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'backtest_metrics')} (
  \`run_id\` String,
  \`created_at\` DateTime64(3, 'UTC'),
  \`template\` LowCardinality(String),
  \`detector\` LowCardinality(String),
  \`day\` Date,
  \`metric\` LowCardinality(String),
  \`value\` Float64
)
ENGINE = MergeTree
ORDER BY (\`template\`, \`created_at\`, \`run_id\`, \`detector\`, \`metric\`, \`day\`)`;
}
