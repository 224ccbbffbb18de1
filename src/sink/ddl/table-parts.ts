/**
 * Pieces every Vigil table shares. Lineage (`_topic`, `_partition`, `_offset`) names the Kafka
 * message a row came from: the sink reads the highest offset per topic-partition on assignment to
 * skip a batch that was inserted but not committed before a crash (see clickhouse.sink.ts). The
 * projection makes that read a lookup instead of a scan of the offset column.
 */

export const LINEAGE_COLUMNS = [
  '`_topic` LowCardinality(String)',
  '`_partition` UInt32',
  '`_offset` UInt64',
  "`inserted_at` DateTime64(3, 'UTC') DEFAULT now64(3)",
] as const;

export const LINEAGE_PROJECTION =
  'PROJECTION `lineage_max_offset` (SELECT `_topic`, `_partition`, max(`_offset`) GROUP BY `_topic`, `_partition`)';

/**
 * Table settings. The deduplication window makes a repeated insert_deduplication_token a no-op on
 * non-replicated MergeTree (0 would disable it); lightweight DELETE must rebuild the projection
 * rather than fail (tables with projections refuse it otherwise).
 */
export const TABLE_SETTINGS = "SETTINGS non_replicated_deduplication_window = 10000, lightweight_mutation_projection_mode = 'rebuild'";

/** TTL clause on a DateTime64 column. TTL needs DateTime, so it is cut to whole seconds (min 1 s). */
export function ttlClause(timeColumn: string, ttlMs: number): string {
  return `TTL toDateTime(\`${timeColumn}\`) + toIntervalSecond(${ttlSeconds(ttlMs)})`;
}

export function ttlSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
