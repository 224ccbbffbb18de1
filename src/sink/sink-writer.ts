import type { IncomingMessage } from '../kafka/kafka.types.js';
import type { RawEventsPlan } from './raw-events/raw-events-plan.js';
import type { Row } from './row-mappers.js';

/** One insert: `rows` (values in `columns` order) into `table` (unqualified; the store's database). */
export interface InsertBatch {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** Names the rows exactly (topic, partition, first and last offset, count): see dedupToken. */
  readonly token: string;
  /** Messages whose rows the store extracts itself (the raw path); `rows` holds the others. */
  readonly raw?: RawEvents;
}

/** Rows the batch stores, at most: its rows and its raw messages. */
export function batchSize(batch: InsertBatch): number {
  return batch.rows.length + (batch.raw?.messages.length ?? 0);
}

/** Events for the raw path (raw-events-plan.ts): embedded ClickHouse only. */
export interface RawEvents {
  readonly plan: RawEventsPlan;
  readonly messages: readonly IncomingMessage[];
  /**
   * The JS path, for the messages the plan leaves over. A message it throws on is not stored:
   * only routes whose rejects the detect stage dead-letters use the raw path (sink-routes.ts).
   */
  readonly decode: (message: IncomingMessage) => Row;
}

/**
 * Where the sink stage stores rows. Exactly-once from Kafka rests on what a writer promises:
 * - `insert` with a token already stored (within the store's deduplication window) is a no-op, so
 *   retrying the same batch lands it once;
 * - `lastInsertedOffset` and `storedOffsets` read back the lineage columns (`_topic`, `_partition`,
 *   `_offset`: row-mappers.ts), so after a crash between insert and commit the stage stores what
 *   the store lacks and skips what it holds, whatever the re-delivered batch's boundaries.
 * ClickHouse (clickhouse.sink.ts) is the implementation; another store is one more file.
 */
export interface SinkWriter {
  /** True when `insert` takes batches with `raw` messages (the embedded engine). */
  readonly acceptsRaw?: boolean;
  /** Resolves once the rows are stored. Throws a VigilError, retryable unless the data is wrong. */
  insert(batch: InsertBatch): Promise<void>;
  /** The highest `_offset` stored for the partition in `table`, or undefined when none is. */
  lastInsertedOffset(table: string, topic: string, partition: number): Promise<bigint | undefined>;
  /** Which offsets in [first, last] of the partition `table` holds. */
  storedOffsets(table: string, topic: string, partition: number, first: bigint, last: bigint): Promise<Set<bigint>>;
}
