import { qualifiedTable } from '../identifiers.js';
import { FINDINGS_TTL_MS } from './findings.ddl.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * One row per Alert: the fields dashboards group and filter by are columns (copied from the
 * finding), the whole finding is kept as JSON text for the detail view. `time` is the finding's
 * event time, `created_at` when the alert was raised. Sorted for "alerts of a template over time";
 * id and fingerprint lookups use bloom filters.
 */
export function createAlertsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'alerts')} (
  \`id\` String,
  \`fingerprint\` String,
  \`template\` LowCardinality(String),
  \`detector\` LowCardinality(String),
  \`entity\` String,
  \`severity\` LowCardinality(String),
  \`title\` String,
  \`time\` DateTime64(3, 'UTC'),
  \`created_at\` DateTime64(3, 'UTC'),
  \`finding\` String,
  ${LINEAGE_COLUMNS.join(',\n  ')},
  INDEX \`id_bloom\` \`id\` TYPE bloom_filter GRANULARITY 4,
  INDEX \`fingerprint_bloom\` \`fingerprint\` TYPE bloom_filter GRANULARITY 4,
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`time\`)
${ttlClause('time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
