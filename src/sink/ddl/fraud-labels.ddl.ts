import { qualifiedTable } from '../identifiers.js';
import { FINDINGS_TTL_MS } from './findings.ddl.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * One row per fraud label from a template's feedback topic (CONTRACTS.md): which transaction, when
 * it happened (`time`) and when its label became known (`labelled_at`), the card (`entity`),
 * customer and terminal, and the verdict. A transaction labelled twice has two rows; the latest
 * `labelled_at` is the verdict (views use argMax). Analysts join it with findings and alerts on
 * `event_id` = `trigger_event_id` and with the events table on `event_id`.
 */
export function createFraudLabelsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'fraud_labels')} (
  \`time\` DateTime64(3, 'UTC'),
  \`labelled_at\` DateTime64(3, 'UTC'),
  \`template\` LowCardinality(String),
  \`event_id\` String,
  \`entity\` String,
  \`customer_id\` String,
  \`terminal_id\` String,
  \`fraud\` UInt8,
  \`scenario\` LowCardinality(String),
  ${LINEAGE_COLUMNS.join(',\n  ')},
  INDEX \`event_id_bloom\` \`event_id\` TYPE bloom_filter GRANULARITY 4,
  INDEX \`entity_bloom\` \`entity\` TYPE bloom_filter GRANULARITY 4,
  INDEX \`terminal_bloom\` \`terminal_id\` TYPE bloom_filter GRANULARITY 4,
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`time\`)
${ttlClause('time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
