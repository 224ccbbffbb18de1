import type { IncomingMessage, MessageBatch } from '../kafka/kafka.types.js';
import { dedupToken, type InsertBatch } from './clickhouse.sink.js';
import type { Row } from './row-mappers.js';

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
 * are already in ClickHouse from a run that crashed before committing: they are skipped, but
 * still covered by the next job's commit.
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
}

export interface AddResult {
  readonly jobs: readonly SinkJob[];
  /** Messages skipped because ClickHouse already holds them. */
  readonly skipped: number;
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
  private rejects: SinkReject[] = [];
  private firstOffset: bigint | undefined;
  private lastOffset: bigint | undefined;
  /** lastOffset, or past records after it that Kafka does not hand out; what the next job commits through. */
  private coveredThrough: bigint | undefined;
  private pendingSince: number | undefined;
  private checkedWatermark = false;

  constructor(private readonly options: PartitionBatcherOptions) {
    if (!Number.isInteger(options.maxRows) || options.maxRows < 1) throw new RangeError('maxRows must be a positive integer');
    if (!(options.maxDelayMs > 0)) throw new RangeError('maxDelayMs must be positive');
    this.skipThrough = options.skipThrough;
  }

  /** Adds a batch; returns the jobs that became full. `now` is wall-clock ms (for maxDelayMs). */
  add(batch: MessageBatch, now: number): AddResult {
    const { topic, partition } = this.options;
    if (batch.topic !== topic || batch.partition !== partition) {
      throw new Error(`batcher for ${topic}[${partition}] got a batch of ${batch.topic}[${batch.partition}]`);
    }
    const discardedSkipThrough = this.checkWatermark(batch);
    const jobs: SinkJob[] = [];
    let skipped = 0;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (this.lastOffset !== undefined && offset <= this.lastOffset) continue; // re-delivered within this run
      this.firstOffset ??= offset;
      this.lastOffset = offset;
      this.coveredThrough = offset;
      this.pendingSince ??= now;
      if (this.skipThrough !== undefined && offset <= this.skipThrough) {
        skipped += 1;
        continue;
      }
      try {
        this.rows.push(this.options.decode(message));
      } catch (error) {
        this.rejects.push({ message, reason: error instanceof Error ? error.message : String(error) });
      }
      // Rejects count too, so a run of undecodable messages cannot grow a job without bound.
      if (this.rows.length + this.rejects.length >= this.options.maxRows) jobs.push(this.cut());
    }
    // Only onto pending work: a job already cut stays as returned (its commit is fixed).
    const through = batch.nextOffset === undefined ? undefined : BigInt(batch.nextOffset) - 1n;
    if (this.firstOffset !== undefined && through !== undefined && this.coveredThrough !== undefined && through > this.coveredThrough) {
      this.coveredThrough = through;
    }
    return discardedSkipThrough === undefined ? { jobs, skipped } : { jobs, skipped, discardedSkipThrough };
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
    this.rows = [];
    this.rejects = [];
    this.firstOffset = undefined;
    this.pendingSince = undefined;
    // lastOffset stays: it only filters duplicates, and a revoked batcher is not reused.
  }

  private cut(): SinkJob {
    const first = this.firstOffset!;
    const last = this.lastOffset!;
    const job: SinkJob = {
      table: this.options.table,
      columns: this.options.columns,
      rows: this.rows,
      rejects: this.rejects,
      token: dedupToken(this.options.topic, this.options.partition, first, last),
      firstOffset: first.toString(),
      lastOffset: last.toString(),
      commitOffset: ((this.coveredThrough ?? last) + 1n).toString(),
    };
    this.rows = [];
    this.rejects = [];
    this.firstOffset = undefined;
    this.pendingSince = undefined;
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
