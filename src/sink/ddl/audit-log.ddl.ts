import { qualifiedTable } from '../identifiers.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS } from './table-parts.js';

/**
 * Every change made through the API (src/audit/audit-record.ts), kept without a TTL: an audit
 * trail that expires is no trail. The API writes the records to Kafka and the sink stores them
 * exactly once like any topic.
 */
export function createAuditLogTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'audit_log')} (
  \`time\` DateTime64(3, 'UTC'),
  \`template\` LowCardinality(String),
  \`actor\` LowCardinality(String),
  \`role\` LowCardinality(String),
  \`action\` LowCardinality(String),
  \`target\` String,
  \`before\` String,
  \`after\` String,
  ${LINEAGE_COLUMNS.join(',\n  ')},
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`time\`)
${TABLE_SETTINGS}`;
}
