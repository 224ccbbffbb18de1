import { qualifiedTable } from '../identifiers.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/** How long findings and alerts are kept. Not configurable yet; templates set only events' TTL. */
export const FINDINGS_TTL_MS = 365 * 86_400_000;

/**
 * One row per Finding (model/records.ts), column for column. Dashboards filter by template and
 * detector over a time range, so that is the sorting key; `id` lookups ("why did this fire")
 * go through a bloom filter. Monthly partitions keep TTL drops and time pruning cheap.
 */
export function createFindingsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'findings')} (
  \`id\` String,
  \`template\` LowCardinality(String),
  \`detector\` LowCardinality(String),
  \`detector_type\` LowCardinality(String),
  \`detector_version\` LowCardinality(String),
  \`entity\` String,
  \`severity\` LowCardinality(String),
  \`kind\` LowCardinality(String),
  \`title\` String,
  \`score\` Float64,
  \`time\` DateTime64(3, 'UTC'),
  \`window_start\` DateTime64(3, 'UTC'),
  \`window_end\` DateTime64(3, 'UTC'),
  \`values\` Map(String, Float64),
  \`thresholds\` Map(String, Float64),
  \`event_ids\` Array(String),
  \`trigger_event_id\` String,
  ${LINEAGE_COLUMNS.join(',\n  ')},
  INDEX \`id_bloom\` \`id\` TYPE bloom_filter GRANULARITY 4,
  INDEX \`entity_bloom\` \`entity\` TYPE bloom_filter GRANULARITY 4,
  ${LINEAGE_PROJECTION}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`detector\`, \`time\`)
${ttlClause('time', FINDINGS_TTL_MS)}
${TABLE_SETTINGS}`;
}
