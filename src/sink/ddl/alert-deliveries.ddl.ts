import { qualifiedTable } from '../identifiers.js';
import { FINDINGS_TTL_MS } from './findings.ddl.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * One row per alert delivery attempt (see src/alerts/delivery-log): when it started, to which
 * receiver, its outcome and latency. The notify stage writes attempts to the
 * `<alerts>.deliveries` topic and the sink stores them like every other topic, so the log is
 * exactly-once and never waits on ClickHouse. Besides the contract's columns, rows carry the
 * lineage every sink table has (`_topic`, `_partition`, `_offset`, `inserted_at`).
 */
export function createAlertDeliveriesTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'alert_deliveries')} (
  \`time\` DateTime64(3, 'UTC'),
  \`alert_id\` String,
  \`fingerprint\` String,
  \`template\` LowCardinality(String),
  \`detector\` LowCardinality(String),
  \`entity\` String,
  \`severity\` LowCardinality(String),
  \`receiver\` LowCardinality(String),
  \`receiver_type\` LowCardinality(String),
  \`attempt\` UInt32,
  \`outcome\` LowCardinality(String),
  \`http_status\` UInt16,
  \`latency_ms\` Float64,
  \`error\` String,
  ${LINEAGE_COLUMNS.join(',\n  ')},
  INDEX \`alert_id_bloom\` \`alert_id\` TYPE bloom_filter GRANULARITY 4,
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`receiver\`, \`time\`)
${ttlClause('time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
