import { qualifiedTable } from '../identifiers.js';
import { TABLE_SETTINGS, ttlClause } from './table-parts.js';

/** Lag samples are for recent operations, not history. */
export const CONSUMER_LAG_TTL_MS = 30 * 86_400_000;

/**
 * Samples of each stage's consumer-group lag, one row per (group, topic, partition) per sample,
 * written by Vigil's lag recorder (lag/lag-recorder.ts) because dashboards read ClickHouse only.
 * Every row of one sample has the same `time`. `committed_offset` is -1 while the group has not
 * committed on that partition (its lag then counts from the partition's first offset).
 */
export function createConsumerLagTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'consumer_lag')} (
  \`time\` DateTime64(3, 'UTC'),
  \`template\` LowCardinality(String),
  \`consumer_group\` LowCardinality(String),
  \`stage\` LowCardinality(String),
  \`topic\` LowCardinality(String),
  \`partition\` UInt32,
  \`committed_offset\` Int64,
  \`end_offset\` Int64,
  \`lag\` UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`time\`)
ORDER BY (\`template\`, \`stage\`, \`topic\`, \`partition\`, \`time\`)
${ttlClause('time', CONSUMER_LAG_TTL_MS)}
${TABLE_SETTINGS}`;
}
