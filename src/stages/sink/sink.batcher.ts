import type { IncomingMessage, MessageBatch } from '../../kafka/kafka.types.js';
import { dedupToken, partialToken } from '../../sink/clickhouse.sink.js';
import { type InsertBatch } from '../../sink/sink-writer.js';
import type { Row } from '../../sink/row-mappers.js';
import type { RawEventsPlan } from '../../sink/raw-events/raw-events-plan.js';
import { framable } from '../../sink/raw-events/raw-frame.js';

/**
 * Turns the message batches of ONE topic-partition into insert jobs, without any I/O: the caller
 * (the sink consumer) feeds batches with `add`, calls `flushDue` from a timer, runs each job in
 * order, and commits. Kafka and ClickHouse stay outside, so every boundary is testable here.
 *
 * Job contract, for the caller, in this order per job: dead-letter `rejects`, insert `rows` into
 * `table` with `token` (skip when there are none), then commit `commitOffset`. Jobs of one
 * partition must run strictly in the order they were returned.
 *
 * A failed job is retried as is (same token, so a partial success is not doubled). To start over
 * instead (seek back, rebalance), make a new batcher with a fresh `lastInsertedOffset`: a batcher
 * ignores offsets it has already seen.
 *
 * Messages at or below `skipThrough` (the partition's `lastInsertedOffset`, read on assignment)
 * come from a run that inserted them, or rows after them, and crashed before committing. Not all
 * of them need be stored: an insert that spans months writes one part per month, and each part
 * lands or not on its own, so a crash mid-insert can leave a lower offset out while a higher one
 * is in. So the caller looks up which of them ClickHouse holds (`uncommittedRange`, then
 * ClickHouseSink.storedOffsets) and passes them to `add`: those are skipped, still covered by the
 * next job's commit, and the others are stored again. An undecodable one among them is skipped
 * too: the run that inserted past it had dead-lettered it before its insert.
 */

/** Message → row. Throwing means the message cannot be stored: it becomes a reject, never dropped. */
export type RowDecoder = (message: IncomingMessage) => Row;

export interface SinkReject {
  readonly message: IncomingMessage;
  readonly reason: string;
}

/** `token` is the insert_deduplication_token from the first and last offsets this job covers. */
export interface SinkJob extends InsertBatch {
  readonly rejects: readonly SinkReject[];
  readonly firstOffset: string;
  readonly lastOffset: string;
  /**
   * Next offset to read, as Kafka commits it: lastOffset + 1, or past the transaction markers and
   * aborted records that followed lastOffset in the same fetch (MessageBatch.nextOffset).
   */
  readonly commitOffset: string;
}

export interface PartitionBatcherOptions {
  readonly table: string;
  /** The columns `decode`'s rows fill, in order. */
  readonly columns: readonly string[];
  readonly topic: string;
  readonly partition: number;
  readonly decode: RowDecoder;
  /** A job is cut as soon as it holds this many rows (rejects included). */
  readonly maxRows: number;
  /** ...or once its first message has waited this long (see flushDue). */
  readonly maxDelayMs: number;
  /** Highest offset already stored for this partition (ClickHouseSink.lastInsertedOffset). */
  readonly skipThrough?: bigint;
  /**
   * The raw path (SinkRoute.raw): messages it can frame are not decoded here but carried in the
   * job's `raw`, and the store decides at insert time which of them `decode` must handle.
   */
  readonly raw?: RawEventsPlan;
}

export interface AddResult {
  readonly jobs: readonly SinkJob[];
  /** Messages skipped because ClickHouse already holds them (or they were dead-lettered). */
  readonly skipped: number;
  /** Messages at or below skipThrough that ClickHouse does not hold: stored again. */
  readonly recovered?: number;
  /**
   * Set when skipThrough was at or above the partition's high watermark: the stored lineage
   * cannot come from this topic (it was deleted and re-created), so nothing is skipped. Log it.
   * Best effort: a re-created topic that has already grown past the old offsets is not detected.
   */
  readonly discardedSkipThrough?: bigint;
}

export class PartitionBatcher {
  private skipThrough: bigint | undefined;
  private rows: Row[] = [];
  private messages: IncomingMessage[] = [];
  private rejects: SinkReject[] = [];
  private firstOffset: bigint | undefined;
  private lastOffset: bigint | undefined;
  /** lastOffset, or past records after it that Kafka does not hand out; what the next job commits through. */
  private coveredThrough: bigint | undefined;
  private pendingSince: number | undefined;
  private checkedWatermark = false;
  /** Messages of the pending job that were skipped as stored: its rows are not its whole range. */
  private skippedInJob = 0;

  constructor(private readonly options: PartitionBatcherOptions) {
    if (!Number.isInteger(options.maxRows) || options.maxRows < 1) throw new RangeError('maxRows must be a positive integer');
    if (!(options.maxDelayMs > 0)) throw new RangeError('maxDelayMs must be positive');
    this.skipThrough = options.skipThrough;
  }

  /**
   * The offsets of `batch` whose presence in ClickHouse `add` needs to know (at or below
   * skipThrough), or undefined when there are none.
   */
  uncommittedRange(batch: MessageBatch): { readonly first: bigint; readonly last: bigint } | undefined {
    const first = batch.messages[0];
    const last = batch.messages.at(-1);
    if (this.skipThrough === undefined || first === undefined || last === undefined) return undefined;
    const from = BigInt(first.offset);
    if (from > this.skipThrough) return undefined;
    const to = BigInt(last.offset);
    return { first: from, last: to < this.skipThrough ? to : this.skipThrough };
  }

  /**
   * Adds a batch; returns the jobs that became full. `now` is wall-clock ms (for maxDelayMs).
   * `stored`: which offsets of `uncommittedRange(batch)` ClickHouse holds; required when there is one.
   */
  add(batch: MessageBatch, now: number, stored?: ReadonlySet<bigint>): AddResult {
    const { topic, partition } = this.options;
    if (batch.topic !== topic || batch.partition !== partition) {
      throw new Error(`batcher for ${topic}[${partition}] got a batch of ${batch.topic}[${batch.partition}]`);
    }
    const discardedSkipThrough = this.checkWatermark(batch);
    if (stored === undefined && this.uncommittedRange(batch) !== undefined) {
      throw new Error(`batch of ${topic}[${partition}] reaches back to offsets a previous run stored: pass which of them ClickHouse holds`);
    }
    const jobs: SinkJob[] = [];
    let skipped = 0;
    let recovered = 0;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (this.lastOffset !== undefined && offset <= this.lastOffset) continue; // re-delivered within this run
      this.firstOffset ??= offset;
      this.lastOffset = offset;
      this.coveredThrough = offset;
      this.pendingSince ??= now;
      const previousRun = this.skipThrough !== undefined && offset <= this.skipThrough;
      if (previousRun && stored!.has(offset)) {
        skipped += 1;
        this.skippedInJob += 1;
        continue;
      }
      if (this.options.raw !== undefined && framable(message)) {
        // Left to the store, which hands back what it cannot extract exactly to `decode`.
        this.messages.push(message);
        if (previousRun) recovered += 1;
      } else {
        try {
          this.rows.push(this.options.decode(message));
          if (previousRun) recovered += 1;
        } catch (error) {
          if (previousRun) {
            skipped += 1;
            this.skippedInJob += 1;
            continue;
          }
          this.rejects.push({ message, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      // Rejects count too, so a run of undecodable messages cannot grow a job without bound.
      if (this.rows.length + this.messages.length + this.rejects.length >= this.options.maxRows) jobs.push(this.cut());
    }
    // Only onto pending work: a job already cut stays as returned (its commit is fixed).
    const through = batch.nextOffset === undefined ? undefined : BigInt(batch.nextOffset) - 1n;
    if (this.firstOffset !== undefined && through !== undefined && this.coveredThrough !== undefined && through > this.coveredThrough) {
      this.coveredThrough = through;
    }
    return { jobs, skipped, ...(recovered > 0 ? { recovered } : {}), ...(discardedSkipThrough === undefined ? {} : { discardedSkipThrough }) };
  }

  /** The pending job if its first message has waited maxDelayMs, else undefined. */
  flushDue(now: number): SinkJob | undefined {
    const at = this.nextFlushAt();
    return at !== undefined && now >= at ? this.cut() : undefined;
  }

  /** Whatever is pending, now (shutdown with a final commit). */
  flush(): SinkJob | undefined {
    return this.firstOffset === undefined ? undefined : this.cut();
  }

  /** When flushDue will return a job, for the caller's timer; undefined when nothing is pending. */
  nextFlushAt(): number | undefined {
    return this.pendingSince === undefined ? undefined : this.pendingSince + this.options.maxDelayMs;
  }

  /** Drops pending work without a job (the partition was revoked: its messages will be re-delivered elsewhere). */
  discard(): void {
    this.skippedInJob = 0;
    this.rows = [];
    this.messages = [];
    this.rejects = [];
    this.firstOffset = undefined;
    this.pendingSince = undefined;
    // lastOffset stays: it only filters duplicates, and a revoked batcher is not reused.
  }

  private cut(): SinkJob {
    const first = this.firstOffset!;
    const last = this.lastOffset!;
    const { topic, partition } = this.options;
    const job: SinkJob = {
      table: this.options.table,
      columns: this.options.columns,
      rows: this.rows,
      ...(this.options.raw !== undefined && this.messages.length > 0 ? { raw: { plan: this.options.raw, messages: this.messages, decode: this.options.decode } } : {}),
      rejects: this.rejects,
      token: this.skippedInJob > 0 ? partialToken(topic, partition, first, last, this.rows.length + this.messages.length) : dedupToken(topic, partition, first, last),
      firstOffset: first.toString(),
      lastOffset: last.toString(),
      commitOffset: ((this.coveredThrough ?? last) + 1n).toString(),
    };
    this.rows = [];
    this.messages = [];
    this.rejects = [];
    this.firstOffset = undefined;
    this.pendingSince = undefined;
    this.skippedInJob = 0;
    return job;
  }

  private checkWatermark(batch: MessageBatch): bigint | undefined {
    if (this.checkedWatermark || this.skipThrough === undefined) return undefined;
    this.checkedWatermark = true;
    if (this.skipThrough < BigInt(batch.highWatermark)) return undefined;
    const discarded = this.skipThrough;
    this.skipThrough = undefined;
    return discarded;
  }
}
