import type { ClickHouseClient } from '@clickhouse/client';
import type { ChdbExtension } from 'chdb/connection';
import { VigilError } from '../errors/vigil-error.js';
import { chdbOf } from './clickhouse.client.js';
import { checkRowWidths, encodeCompactRows } from './compact-rows.js';
import { isSafeName, qualifiedTable, quoteName } from './identifiers.js';
import { insertSettings } from './insert-settings.js';
import type { InsertBatch, SinkWriter } from './sink-writer.js';

/**
 * Writes rows to Vigil's ClickHouse tables (the SinkWriter of sink-writer.ts). Exactly-once from Kafka to ClickHouse rests on two things the
 * caller combines:
 * - every insert carries a deduplication token derived from the batch's Kafka coordinates
 *   (`dedupToken`), so retrying the same batch after a failure lands it once;
 * - on partition assignment the caller asks `lastInsertedOffset` and skips messages at or below
 *   it, because after a crash between insert and commit the re-delivered batch may have other
 *   boundaries, hence another token.
 * Rows must carry lineage (`_topic`, `_partition`, `_offset`: row-mappers.ts) for the second.
 *
 * Rows go as JSONCompactEachRow with an explicit column list. Embedded (chdb), they go through
 * chdb's raw insert with the settings, token included, in the INSERT statement's own SETTINGS
 * clause: they apply to that insert only, whereas the client's per-call settings would become
 * session-wide SETs on chdb. It also skips the client's row-by-row encoding and SQL concatenation
 * (less than half the time per row: docs/performance.md). On a server, through the client (its
 * per-call settings are request parameters there).
 */
export class ClickHouseSink implements SinkWriter {
  private readonly chdb: ChdbExtension | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {
    this.chdb = chdbOf(client);
  }

  /**
   * Inserts the batch's rows with its token as insert_deduplication_token: a second insert with
   * the same token into the same table within the deduplication window is a no-op. Synchronous:
   * when it resolves the rows are written (async_insert is off in the insert's settings).
   * Throws VIGIL_SINK_WRITE: retryable unless ClickHouse says the data itself is wrong.
   */
  async insert(batch: InsertBatch): Promise<void> {
    const { table, columns, rows, token } = batch;
    if (rows.length === 0) return;
    const [first, ...rest] = columns;
    if (first === undefined || !isSafeName(this.database) || !isSafeName(table) || !columns.every(isSafeName)) {
      throw new VigilError('VIGIL_SINK_WRITE', `cannot insert into ${table}: unsafe or missing names in ${JSON.stringify([this.database, ...columns])}`);
    }
    checkRowWidths(rows, columns.length);
    try {
      if (this.chdb) {
        await this.chdb.rawInsert({
          // Plain names: chdb checks them against its own identifier whitelist (no quoting).
          table: `${this.database}.${table}`,
          columns,
          format: 'JSONCompactEachRow',
          values: encodeCompactRows(rows),
          settings: insertSettings(token),
        });
      } else {
        await this.client.insert({
          table: qualifiedTable(this.database, table),
          columns: [quoteName(first), ...rest.map(quoteName)],
          values: rows as unknown[][],
          format: 'JSONCompactEachRow',
          clickhouse_settings: insertSettings(token),
        });
      }
    } catch (cause) {
      throw writeError(`insert of ${rows.length} rows into ${table} failed`, cause);
    }
  }

  /**
   * The highest `_offset` stored in `table` for a topic-partition, or undefined when it has none.
   * Served by the lineage projection, so it is cheap on large tables. Rows already removed by TTL
   * no longer count.
   */
  async lastInsertedOffset(table: string, topic: string, partition: number): Promise<bigint | undefined> {
    try {
      const result = await this.client.query({
        // GROUP BY gives no row (not 0) when nothing matches, and matches the projection's shape;
        // toString keeps UInt64 exact (this engine does not quote 64-bit integers in JSON).
        query: `SELECT toString(max(_offset)) AS last FROM ${qualifiedTable(this.database, table)}
                WHERE _topic = {topic:String} AND _partition = {partition:UInt32}
                GROUP BY _topic, _partition`,
        query_params: { topic, partition },
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ last: string }>();
      const last = rows[0]?.last;
      return last === undefined ? undefined : BigInt(last);
    } catch (cause) {
      throw writeError(`reading the last inserted offset of ${topic}[${partition}] in ${table} failed`, cause);
    }
  }

  /**
   * The `_offset`s of a topic-partition stored in `table` between `first` and `last` (inclusive):
   * what of a failed insert landed after all (an insert that spans months writes one part per
   * month, and each part lands or not on its own).
   */
  async storedOffsets(table: string, topic: string, partition: number, first: bigint, last: bigint): Promise<Set<bigint>> {
    try {
      const result = await this.client.query({
        query: `SELECT toString(_offset) AS offset FROM ${qualifiedTable(this.database, table)}
                WHERE _topic = {topic:String} AND _partition = {partition:UInt32} AND _offset BETWEEN {first:UInt64} AND {last:UInt64}`,
        query_params: { topic, partition, first: first.toString(), last: last.toString() },
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ offset: string }>();
      return new Set(rows.map((row) => BigInt(row.offset)));
    } catch (cause) {
      throw writeError(`reading the stored offsets of ${topic}[${partition}] in ${table} failed`, cause);
    }
  }
}

/**
 * The deduplication token of a batch: the same messages always give the same token. Offsets are
 * inclusive. Tokens are per table in ClickHouse, so one batch may use its token in several tables.
 */
type Offset = string | bigint | number;

export function dedupToken(topic: string, partition: number, firstOffset: Offset, lastOffset: Offset): string {
  return `${topic}:${partition}:${firstOffset}-${lastOffset}`;
}

/**
 * The token of some of the messages between two offsets, not all (what a crashed or failed insert
 * left out): a token stands for one set of rows, and ClickHouse drops a part whose token and month
 * it has seen, so these rows may not reuse the range's token.
 */
export function partialToken(topic: string, partition: number, firstOffset: Offset, lastOffset: Offset, rows: number): string {
  return `${dedupToken(topic, partition, firstOffset, lastOffset)}#${rows}`;
}

/**
 * ClickHouse error codes that say the rows or the table are wrong, so retrying the same batch
 * cannot succeed (it would loop forever): parse and type errors, unknown table or column.
 */
const DATA_ERROR_CODES = new Set(['6', '26', '27', '38', '41', '53', '60', '69', '70', '72', '81', '117', '16', '8', '47']);

function writeError(message: string, cause: unknown): VigilError {
  const code = errorCode(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new VigilError('VIGIL_SINK_WRITE', `${message}: ${detail}`, {
    retryable: code === undefined || !DATA_ERROR_CODES.has(code),
    cause,
  });
}

/** The ClickHouse error code: `code` from the client, `clickhouseCode` from chdb's own API. */
function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  if ('clickhouseCode' in cause && cause.clickhouseCode !== undefined) return String(cause.clickhouseCode);
  return 'code' in cause ? String(cause.code) : undefined;
}
