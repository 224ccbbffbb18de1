import { qualifiedTable } from '../identifiers.js';
import { FINDINGS_TTL_MS } from './findings.ddl.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * Events that arrived behind the watermark by more than the template's allowed lateness: they
 * skipped the detectors, and this table (with `<input>.late`) is where a user sees and re-uses
 * them. `raw` is the original message; `watermark` and `late_by_ms` say how late it was.
 */
export function createLateEventsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'late_events')} (
  \`template\` LowCardinality(String),
  \`event_id\` String,
  \`event_key\` String,
  \`event_time\` DateTime64(3, 'UTC'),
  \`watermark\` DateTime64(3, 'UTC'),
  \`late_by_ms\` Int64,
  \`raw\` String,
  ${LINEAGE_COLUMNS.join(',\n  ')},
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`event_time\`)
ORDER BY (\`template\`, \`event_time\`)
${ttlClause('event_time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
