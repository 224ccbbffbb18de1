import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import { isVigilError, VigilError } from '../../errors/vigil-error.js';
import type { BatchConsumer, BatchControl, MessageBatch, TopicPartition } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { deadLetter } from '../../kafka/dead-letter.js';
import { partialToken } from '../../sink/clickhouse.sink.js';
import { batchSize, type InsertBatch, type SinkWriter } from '../../sink/sink-writer.js';
import { KeyedLock } from '../keyed-lock.js';
import { LazyProducer } from '../lazy-producer.js';
import type { Stage } from '../stage.js';
import { countConsumed, recordLag } from '../stage-metrics.js';
import { InsertGroups } from './insert-groups.js';
import { PartitionBatcher, type SinkJob } from './sink.batcher.js';
import { sinkRoutes, type SinkRoute } from './sink-routes.js';

const MAX_RETRY_DELAY_MS = 5_000;

/** Nest token of the stage's SinkWriter (ClickHouse: see stage-launcher.ts). */
export const SINK_WRITER = Symbol('SINK_WRITER');

/**
 * Sink: events, findings, alerts, late and dead-letter topics → the store (ClickHouse), in batches of up to VIGIL_SINK_BATCH_ROWS
 * rows or VIGIL_SINK_FLUSH_MS. The stage commits offsets itself, and only after the insert
 * covering them succeeded. Exactly-once rests on the batcher: dedup tokens for retries, and on
 * assignment the partition's last stored offset, below which what ClickHouse holds is skipped and
 * what it lacks (a crash mid-insert) is stored again, so a crash between insert and commit neither
 * doubles nor loses rows.
 * While ClickHouse fails, the partition retries in place, so consumption of it stops (backpressure)
 * and nothing is lost.
 */
@Injectable()
export class SinkStage implements Stage, OnApplicationShutdown {
  private readonly routes: Map<string, SinkRoute>;
  private readonly groups: InsertGroups;
  private readonly grouped: boolean;
  private readonly batchers = new Map<string, PartitionBatcher>();
  private readonly locks = new KeyedLock();
  private readonly log: Logger;
  private consumer: BatchConsumer | undefined;
  /** One producer for every partition's rejects. */
  private readonly producer: LazyProducer;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly revoked = new Set<string>();
  /**
   * Each partition's latest batch control: a job retrying while ClickHouse is down heartbeats with
   * it, so the group keeps this member instead of expelling it and handing the partition round.
   */
  private readonly controls = new Map<string, BatchControl>();

  constructor(
    @Inject(VIGIL_CORE) private readonly core: VigilCore,
    @Inject(SINK_WRITER) private readonly sink: SinkWriter,
  ) {
    this.producer = new LazyProducer(core.kafka);
    // The raw path needs the embedded engine: chdb's raw insert stages the messages' bytes.
    const { clickhouse } = core.config;
    const raw = sink.acceptsRaw === true && clickhouse.mode === 'embedded' && core.config.sink.raw === 'auto';
    this.routes = sinkRoutes(core.template, core.loaded.format, raw ? { rawEventsDatabase: clickhouse.database } : {});
    // Group commit with the embedded engine only: there a failed insert is over when the call
    // returns, so what of it landed can be read back exactly (see `unstored`); a server's insert
    // that timed out may still land later, and only its own token can guard its retry.
    this.grouped = core.config.clickhouse.mode === 'embedded';
    this.groups = new InsertGroups(async (batch, members) => {
      const started = performance.now();
      await this.sink.insert(batch);
      const { metrics } = this.core;
      metrics.sinkInsertSeconds.observe({ table: batch.table }, (performance.now() - started) / 1000);
      // Raw messages count as rows, though a few of them may turn out to be rejects.
      metrics.sinkBatchRows.observe({ table: batch.table }, batchSize(batch));
      metrics.sinkRows.inc({ table: batch.table }, batchSize(batch));
      metrics.sinkGroupedJobs.observe({ table: batch.table }, members);
    });
    this.log = core.logger.child({ stage: 'sink' });
    const events = this.routes.get(core.template.topics.input);
    this.log.info({ table: events?.table, path: events?.raw ? 'raw' : 'js' }, events?.raw ? 'events are extracted by ClickHouse from the raw messages' : 'events are decoded in JS');
    this.timer = setInterval(() => void this.flushDue(), Math.max(50, Math.floor(core.config.sink.flushMs / 2)));
    this.timer.unref();
  }

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) await this.withLock(tp, () => this.openBatcher(tp));
  }

  async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    // Marked before taking the lock: a job retrying under it must see the revocation and give up.
    for (const tp of partitions) this.revoked.add(key(tp));
    for (const tp of partitions) {
      await this.withLock(tp, () => {
        this.batchers.get(key(tp))?.discard();
        this.batchers.delete(key(tp));
        this.controls.delete(key(tp));
      });
    }
  }

  async handle(batch: MessageBatch, control: BatchControl, consumer: BatchConsumer): Promise<void> {
    this.consumer = consumer;
    const { metrics, template } = this.core;
    countConsumed(metrics, template.name, 'sink', batch);
    this.controls.set(key(batch), control);
    await this.withLock(batch, async () => {
      const batcher = this.batchers.get(key(batch)) ?? (await this.openBatcher(batch));
      const { jobs, discardedSkipThrough, recovered } = batcher.add(batch, Date.now(), await this.storedAmong(batcher, batch));
      if (recovered !== undefined) {
        this.log.warn({ topic: batch.topic, partition: batch.partition, recovered }, 'rows a crashed run inserted only in part are stored again');
      }
      if (discardedSkipThrough !== undefined) {
        this.log.warn({ topic: batch.topic, partition: batch.partition, discardedSkipThrough: String(discardedSkipThrough) }, 'stored offsets are ahead of the topic: was it re-created? storing everything');
      }
      for (const job of jobs) {
        if (control.isStale()) return;
        await this.runJob(batch, job);
      }
    });
    const last = batch.messages.at(-1);
    if (last) recordLag(metrics, 'sink', batch, last.offset);
  }

  /** Flushes what is pending and commits it while the consumer still runs. */
  async prepareStop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.all(
      [...this.batchers.entries()].map(([id, batcher]) => {
        const [topic, partition] = parseKey(id);
        return this.withLock({ topic, partition }, async () => {
          const job = batcher.flush();
          if (job) await this.runJob({ topic, partition }, job);
        });
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.producer.close();
  }

  private async flushDue(): Promise<void> {
    const now = Date.now();
    // Side by side, so the partitions' due jobs of one table reach InsertGroups in the same turn
    // and go as one insert.
    await Promise.all(
      [...this.batchers].map(async ([id, batcher]) => {
        const at = batcher.nextFlushAt();
        if (at === undefined || at > now) return;
        const [topic, partition] = parseKey(id);
        try {
          await this.withLock({ topic, partition }, async () => {
            const job = this.batchers.get(id) === batcher ? batcher.flushDue(Date.now()) : undefined;
            if (job) await this.runJob({ topic, partition }, job);
          });
        } catch (error) {
          // Nothing is lost (nothing was committed), so a warning: a rebalance or a broker restart does this.
          this.log.warn({ err: error, topic, partition }, 'timed flush abandoned (partition revoked or stopping); its rows will be read again');
        }
      }),
    );
  }

  private async openBatcher(tp: TopicPartition): Promise<PartitionBatcher> {
    this.revoked.delete(key(tp));
    const route = this.route(tp.topic);
    const skipThrough = await this.sink.lastInsertedOffset(route.table, tp.topic, tp.partition);
    const batcher = new PartitionBatcher({
      table: route.table,
      columns: route.columns,
      topic: tp.topic,
      partition: tp.partition,
      decode: route.decode,
      ...(route.raw === undefined ? {} : { raw: route.raw }),
      maxRows: this.core.config.sink.batchRows,
      maxDelayMs: this.core.config.sink.flushMs,
      ...(skipThrough === undefined ? {} : { skipThrough }),
    });
    this.batchers.set(key(tp), batcher);
    return batcher;
  }

  /** Dead-letter rejects, insert (retrying in place while ClickHouse is down), then commit. */
  private async runJob(tp: TopicPartition, job: SinkJob): Promise<void> {
    const { metrics, template } = this.core;
    const route = this.route(tp.topic);
    if (job.rejects.length > 0) {
      metrics.deadLetters.inc({ template: template.name, stage: 'sink', code: 'VIGIL_EVENT_SCHEMA' }, route.deadLetterRejects ? job.rejects.length : 0);
      if (route.deadLetterRejects) {
        await (await this.producer.get()).send(
          job.rejects.map((r) => deadLetter(template.topics.deadLetter, r.message, { code: 'VIGIL_EVENT_SCHEMA', reason: r.reason }, Date.now())),
        );
      }
    }
    let batch: InsertBatch = job;
    // After a failed grouped insert, what of it landed is read back before anything is inserted again.
    let unverified = false;
    for (let attempt = 0; ; attempt++) {
      try {
        if (unverified) {
          batch = await this.unstored(batch, tp);
          unverified = false;
        }
        if (batchSize(batch) === 0) break;
        // Only a first attempt joins a group; a retry goes alone, so a job whose rows ClickHouse
        // refuses holds up only its own partition. Alone, the job's own token guards the retry.
        const grouped = this.grouped && attempt === 0;
        try {
          await this.groups.submit(batch, { alone: !grouped });
        } catch (error) {
          unverified = grouped;
          throw error;
        }
        break;
      } catch (error) {
        // A job is never given up: its rows may come from batches the consumer has already moved
        // past, which Kafka will not hand out again until a restart or a rebalance. So it is
        // retried in place, holding this partition back (backpressure), until it lands or the
        // partition is revoked or Vigil stops; then nothing is committed and the rows are re-read.
        const control = this.controls.get(key(tp));
        if (this.stopping || this.revoked.has(key(tp)) || control?.isStale() === true) {
          this.batchers.delete(key(tp));
          throw error;
        }
        const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** attempt);
        const retryable = isVigilError(error) && error.retryable;
        this.log[retryable ? 'warn' : 'error']({ err: error, table: job.table, attempt, delayMs: delay }, 'ClickHouse insert failed; retrying, this partition waits');
        metrics.sinkInsertFailures.inc({ table: job.table });
        await sleep(delay);
        // A heartbeat that fails means a rebalance is under way; the next round sees it as stale.
        await control?.heartbeat().catch(() => undefined);
      }
    }
    if (!this.consumer) throw new VigilError('VIGIL_KAFKA', 'sink has no consumer to commit with');
    await this.consumer.commit([{ topic: tp.topic, partition: tp.partition, offset: job.commitOffset }]);
  }

  /**
   * The rows of `batch` ClickHouse does not hold, after a failed grouped insert: a part of it (one
   * month of rows) may have landed. Their token names them exactly (first and last offset and
   * count), so a retry of the same rows is deduplicated like any other.
   */
  private async unstored(batch: InsertBatch, tp: TopicPartition): Promise<InsertBatch> {
    const at = batch.columns.indexOf('_offset');
    if (at < 0) return batch;
    const span = offsetSpan(batch, at);
    if (span === undefined) return batch;
    const stored = await this.sink.storedOffsets(batch.table, tp.topic, tp.partition, span.first, span.last);
    if (stored.size === 0) return batch;
    const rows = batch.rows.filter((row) => !stored.has(BigInt(row[at] as string)));
    const messages = (batch.raw?.messages ?? []).filter((m) => !stored.has(BigInt(m.offset)));
    const left: InsertBatch = { ...batch, rows, ...(batch.raw === undefined ? {} : { raw: { ...batch.raw, messages } }) };
    const rest = offsetSpan(left, at);
    return rest === undefined ? left : { ...left, token: partialToken(tp.topic, tp.partition, rest.first, rest.last, rest.count) };
  }

  /** Which of the batch's offsets that a previous run may have stored ClickHouse holds (see PartitionBatcher). */
  private async storedAmong(batcher: PartitionBatcher, batch: MessageBatch): Promise<ReadonlySet<bigint> | undefined> {
    const range = batcher.uncommittedRange(batch);
    if (!range) return undefined;
    return this.sink.storedOffsets(this.route(batch.topic).table, batch.topic, batch.partition, range.first, range.last);
  }

  private route(topic: string): SinkRoute {
    const route = this.routes.get(topic);
    if (!route) throw new VigilError('VIGIL_KAFKA', `sink got a batch of unexpected topic ${topic}`);
    return route;
  }

  /** One job at a time per partition: batches and timed flushes must not interleave. */
  private withLock<T>(tp: TopicPartition, work: () => T | Promise<T>): Promise<T> {
    return this.locks.run(key(tp), work);
  }
}

function key(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`;
}

function parseKey(id: string): [string, number] {
  const colon = id.indexOf(':');
  return [id.slice(colon + 1), Number(id.slice(0, colon))];
}

/** The lowest and highest offset of a batch's rows and raw messages, and how many there are. */
function offsetSpan(batch: InsertBatch, at: number): { first: bigint; last: bigint; count: number } | undefined {
  const offsets = [...batch.rows.map((row) => BigInt(row[at] as string)), ...(batch.raw?.messages ?? []).map((m) => BigInt(m.offset))];
  if (offsets.length === 0) return undefined;
  return { first: offsets.reduce((a, b) => (b < a ? b : a)), last: offsets.reduce((a, b) => (b > a ? b : a)), count: offsets.length };
}
