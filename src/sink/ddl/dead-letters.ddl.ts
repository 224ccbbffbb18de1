import { qualifiedTable } from '../identifiers.js';
import { FINDINGS_TTL_MS } from './findings.ddl.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * One row per record on a template's dead-letter topics (the input's and `<alerts>.dlq`), so
 * dashboards can show what was refused and why. The topics stay the lossless copy that
 * `vigil replay` re-sends; here `value` is cut to DEAD_LETTER_VALUE_BYTES (`value_bytes` keeps the
 * original size). `time` is when it was dead-lettered; `source_*` is where the record was first
 * read (nullable: a record on a dead-letter topic that Vigil did not write may lack the headers);
 * `headers` keeps every header, the record's own and Vigil's (receiver, attempts, ...).
 * Lineage (`_topic`, ...) is the dead-letter topic's own message, for the sink's exactly-once.
 */
export function createDeadLettersTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'dead_letters')} (
  \`time\` DateTime64(3, 'UTC'),
  \`template\` LowCardinality(String),
  \`code\` LowCardinality(String),
  \`reason\` String,
  \`detector\` LowCardinality(String),
  \`source_topic\` LowCardinality(String),
  \`source_partition\` Nullable(UInt32),
  \`source_offset\` Nullable(UInt64),
  \`key\` String,
  \`value\` String,
  \`value_bytes\` UInt32,
  \`headers\` Map(String, String),
  ${LINEAGE_COLUMNS.join(',\n  ')},
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`time\`)
${ttlClause('time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
