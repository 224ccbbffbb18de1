import type { ClickHouseClient } from '@clickhouse/client';
import type { ChdbExtension } from 'chdb/connection';
import { VigilError } from '../errors/vigil-error.js';
import { chdbOf } from './clickhouse.client.js';
import { checkRowWidths, encodeCompactRows } from './compact-rows.js';
import { isSafeName, qualifiedTable, quoteName } from './identifiers.js';
import { insertSettings } from './insert-settings.js';
import { frameMessages } from './raw-events/raw-frame.js';
import type { RawEventsPlan } from './raw-events/raw-events-plan.js';
import type { Row } from './row-mappers.js';
import type { InsertBatch, RawEvents, SinkWriter } from './sink-writer.js';

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
  /** Per staging table: the last raw insert's work (they share the table, so they run one at a time). */
  private readonly staging = new Map<string, Promise<unknown>>();
  private readonly stagingCreated = new Set<string>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {
    this.chdb = chdbOf(client);
  }

  /** The raw path stages bytes with chdb's raw insert; a server takes rows only. */
  get acceptsRaw(): boolean {
    return this.chdb !== undefined;
  }

  /**
   * Inserts the batch's rows with its token as insert_deduplication_token: a second insert with
   * the same token into the same table within the deduplication window is a no-op. Synchronous:
   * when it resolves the rows are written (async_insert is off in the insert's settings).
   * Throws VIGIL_SINK_WRITE: retryable unless ClickHouse says the data itself is wrong.
   */
  async insert(batch: InsertBatch): Promise<void> {
    if (batch.raw !== undefined && batch.raw.messages.length > 0) return this.insertRaw(batch, batch.raw);
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
   * The raw path (raw-events-plan.ts): the messages' bytes go to the staging table, where the
   * engine extracts the columns and decides which rows it can store exactly; one INSERT … SELECT
   * with the batch's token stores those, and the rest go through the JS decoder into one more
   * insert beside `batch.rows`, with a token of its own derived from the batch's (the same
   * messages always leave the same rows over, so a retry is deduplicated like any other).
   */
  private async insertRaw(batch: InsertBatch, raw: RawEvents): Promise<void> {
    const chdb = this.chdb;
    if (chdb === undefined) throw new VigilError('VIGIL_SINK_WRITE', 'the raw path needs the embedded engine', { retryable: false });
    const { plan } = raw;
    const leftovers = await this.serialStaging(plan, async () => {
      try {
        await chdb.rawInsert({
          table: `${this.database}.${plan.staging}`,
          columns: plan.stagingColumns,
          format: 'TSV',
          values: frameMessages(raw.messages),
          settings: plan.stagingSettings,
        });
        await chdb.queryAsync(plan.insertAccepted(batch.token));
        const text = (await chdb.queryAsync(plan.selectLeftovers, { format: 'TabSeparated' })).text();
        return new Set(text.split('\n').filter((line) => line !== ''));
      } catch (cause) {
        throw writeError(`raw insert of ${raw.messages.length} messages into ${plan.table} failed`, cause);
      } finally {
        await chdb.queryAsync(plan.truncateStaging).catch(() => undefined);
      }
    });
    const rows: Row[] = [...batch.rows];
    for (const message of raw.messages) {
      if (!leftovers.has(`${message.partition}:${message.offset}`)) continue;
      try {
        rows.push(raw.decode(message));
      } catch {
        // Rejected as the JS path rejects it; see RawEvents.decode.
      }
    }
    await this.insert({ table: batch.table, columns: batch.columns, rows, token: `${batch.token}/js` });
  }

  /** Runs `work` after the staging table's previous user, creating the table on first use. */
  private serialStaging<T>(plan: RawEventsPlan, work: () => Promise<T>): Promise<T> {
    const previous = this.staging.get(plan.staging) ?? Promise.resolve();
    const next = previous.then(async () => {
      await this.ensureStaging(plan);
      return work();
    });
    this.staging.set(plan.staging, next.catch(() => undefined));
    return next;
  }

  /** Replaced once per process: its extraction follows the template this process runs. */
  private async ensureStaging(plan: RawEventsPlan): Promise<void> {
    if (this.stagingCreated.has(plan.staging)) return;
    try {
      for (const query of plan.createStaging) await this.chdb!.queryAsync(query);
    } catch (cause) {
      throw writeError(`creating the staging table ${plan.staging} failed`, cause);
    }
    this.stagingCreated.add(plan.staging);
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
const DATA_ERROR_CODES = new Set(['6', '25', '26', '27', '38', '41', '53', '60', '69', '70', '72', '81', '117', '16', '8', '47']);

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
