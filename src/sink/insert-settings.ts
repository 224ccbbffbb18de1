import type { ClickHouseSettings } from '@clickhouse/client';

/**
 * The settings every Vigil insert passes, all of them on every call. The sink puts them in the
 * INSERT statement itself on chdb (they apply to that insert only) and sends them per request to a
 * server. Other inserts through the client on chdb (migrations) get per-call settings, which chdb
 * applies as session-wide SETs, so a setting sent once stays in force for later calls of the
 * process (a later insert without a token was dropped as a duplicate of the previous one). Sending
 * the same complete set each time keeps every insert independent of whatever ran before it.
 *
 * `insert_deduplication_token` is always present. An empty token means: deduplicate by the block's
 * content hash (MergeTree with non_replicated_deduplication_window), which is still safe for Vigil
 * rows because they carry their Kafka offsets.
 */
export function insertSettings(token: string) {
  return {
    insert_deduplicate: 1,
    // Written before the promise resolves (the offset commit depends on it). chdb's own default
    // is async_insert=1, but it runs no async queue.
    async_insert: 0,
    insert_deduplication_token: token,
    // Omitted or null values for non-Nullable columns take the column default instead of failing.
    input_format_null_as_default: 1,
    input_format_defaults_for_omitted_fields: 1,
    // A row with a field the table lacks is an error, never silently truncated.
    input_format_skip_unknown_fields: 0,
  } as const satisfies ClickHouseSettings;
}
