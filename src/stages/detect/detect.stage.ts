import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import { groupId } from '../../model/topics.js';
import type { BatchConsumer, BatchControl, MessageBatch, TopicPartition } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { encodeRecord } from '../../runtime/changelog.js';
import { ChangelogRestorer } from '../../runtime/changelog-restorer.js';
import { LazyProducer } from '../lazy-producer.js';
import type { Stage } from '../stage.js';
import { countConsumed, recordLag } from '../stage-metrics.js';
import { GroupOffsets } from './group-offsets.js';
import { ResumePoints } from './resume-points.js';
import { changelogTopic } from '../../model/topics.js';
import { DetectProcessor, type DetectOutput } from './detect.processor.js';
import type { DetectorLogger } from '../../model/detector.js';
import { RuleBook } from '../../rules/rule-book.js';
import { rulesTopic } from '../../model/topics.js';
import { applyMessages, readRuleBook, seedTemplateRules } from '../../rules/rules-topic.js';
import { BroadcastReader } from './broadcast-reader.js';
import { FeedbackBuffer } from '../../runtime/feedback-buffer.js';
import { FeedbackFeed } from './feedback-feed.js';

/**
 * Detect: input events → detectors → findings, alerts, dead letters and late events on their
 * topics, and every change to detector state on the stage's changelog.
 *
 * Exactly-once effect: a batch's output, its state changes and its next input offset are committed
 * in ONE Kafka transaction, so a crash leaves all or nothing, and readers of committed data (sink,
 * notify, the restore below) never see part of a batch. Each input partition has its own
 * transactional id: when a partition is assigned, its producer is created first, which fences any
 * previous owner still running (a "zombie") and aborts its open transaction; then the partition's
 * state is restored from its changelog partition before any of its events is processed.
 *
 * The input offset travels as a changelog record (`i`), not as a transactional offset commit: that
 * took AddOffsetsToTxn and TxnOffsetCommit, two of a transaction's five broker round trips, on
 * every batch, and alerts wait for the transaction. The group's offsets follow lazily
 * (GroupOffsets, and at stop) for lag and for where the consumer starts; they are never ahead
 * of the changelog, and the events between the two are skipped on restore (see ResumePoints).
 */
@Injectable()
export class DetectStage implements Stage, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly detectorLog: DetectorLogger;
  private readonly rules: RuleBook;
  private rulesReader: Promise<BroadcastReader> | undefined;
  private feedback: Promise<FeedbackFeed | undefined> | undefined;
  private readonly labels: FeedbackBuffer | undefined;
  private readonly processor: DetectProcessor;
  /** Per input partition, its transactional producer (see the class comment). */
  private readonly producers = new Map<number, LazyProducer>();
  private readonly group: string;
  /** Where each restored partition resumes (see ResumePoints). */
  private readonly resumePoints: ResumePoints;
  private readonly groupOffsets: GroupOffsets;
  private readonly changelog: string;
  private readonly log: Logger;
  private readonly bytesSampledAt = new Map<number, number>();

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'detect' });
    this.group = groupId(core.template, 'detect');
    this.changelog = changelogTopic(this.group);
    this.resumePoints = new ResumePoints(core.kafka, this.group, core.template.topics.input, this.log);
    this.groupOffsets = new GroupOffsets(core.template.topics.input, (partition) => this.producers.has(partition), this.log);
    const log = this.log;
    this.detectorLog = {
      debug: (message, details) => log.debug(details ?? {}, message),
      info: (message, details) => log.info(details ?? {}, message),
      warn: (message, details) => log.warn(details ?? {}, message),
    };
    this.rules = new RuleBook(core.template, core.detectors, this.detectorLog);
    this.labels = core.template.topics.feedback === undefined ? undefined : new FeedbackBuffer();
    this.processor = new DetectProcessor(core.template, core.detectors, this.detectorLog, Date.now, this.labels, core.loaded.format);
  }

  /**
   * Before any event: seed the template's rules into the rules topic if it never had them, read
   * the topic to its end, and keep tailing it. Changes apply between batches (see `handle`).
   * Nest calls this hook at init and again at listen: the second call waits for the first.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.rulesReader ??= this.startRules();
    this.feedback ??= this.startFeedback();
    await Promise.all([this.rulesReader, this.feedback]);
  }

  /** Every label of the feedback topic, for detectors' `onFeedback` (see FeedbackFeed). */
  private async startFeedback(): Promise<FeedbackFeed | undefined> {
    const { kafka, template } = this.core;
    if (template.topics.feedback === undefined || !this.labels) return undefined;
    const feed = await FeedbackFeed.start(kafka, template.topics.feedback, `${template.name}.feedback-reader`, this.detectorLog, this.labels);
    this.log.info({ labels: feed.buffer.size() }, 'reading fraud labels from the feedback topic');
    return feed;
  }

  private async startRules(): Promise<BroadcastReader> {
    const { kafka, template } = this.core;
    const seeded = await seedTemplateRules(kafka, template, await readRuleBook(kafka, template, this.detectorLog));
    if (seeded.length > 0) this.log.info({ rules: seeded }, 'seeded the rules topic with the template rules');
    const reader = await BroadcastReader.start({
      kafka,
      topic: rulesTopic(template),
      purpose: `${template.name}.rules-reader`,
      onMessages: (_partition, messages) => applyMessages(this.rules, messages, this.detectorLog),
    });
    this.applyRuleChanges();
    return reader;
  }

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    const mine = partitions.filter((p) => p.topic === this.core.template.topics.input).map((p) => p.partition);
    await Promise.all(mine.map((partition) => this.producerFor(partition).get()));
    await this.restore(mine);
  }

  onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    return this.release(partitions.map((p) => p.partition));
  }

  async handle(batch: MessageBatch, control: BatchControl, consumer: BatchConsumer): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    const { metrics, template } = this.core;
    countConsumed(metrics, template.name, 'detect', batch);
    this.applyRuleChanges();
    // After a failed batch the partition's state and producer were dropped. A new producer first:
    // initialising it settles the failed batch's transaction (a commit that reached the broker as
    // the connection broke is completed, anything else aborted), so the changelog read next shows
    // exactly what was committed, and the re-delivered batch resumes after it.
    if (!this.processor.has(batch.partition)) {
      await this.producerFor(batch.partition).get();
      await this.restore([batch.partition]);
    }
    const fresh = this.resumePoints.unseen(batch);
    const next = (BigInt(last.offset) + 1n).toString();
    if (fresh.messages.length === 0) {
      // Committed in transactions (ours or a previous owner's) but not yet for the group: the
      // group's offset must still move past them, or the lag it shows never falls to 0. Never
      // back: a re-delivered old batch ends before where the state is.
      const position = this.resumePoints.position(batch.partition);
      await this.groupOffsets.follow(consumer, batch.partition, position !== undefined && position > BigInt(next) ? position.toString() : next);
      return;
    }
    let output: DetectOutput;
    try {
      output = this.processor.process(fresh);
      const { key, value } = encodeRecord({ kind: 'input', next });
      output.messages.push({ topic: this.changelog, partition: batch.partition, key, value });
      await this.commitTransaction(batch, output, control);
    } catch (error) {
      // The state already holds this batch, and its transaction may yet commit: drop both, so the
      // re-delivered batch is neither counted nor emitted twice (see the restore above).
      this.processor.release(batch.partition);
      await this.dropProducer(batch.partition);
      throw error;
    }
    this.resumePoints.advance(batch.partition, BigInt(next));
    this.record(batch, output, last.offset);
    (await this.feedback)?.trim(this.processor.heldRuntimes());
    await this.groupOffsets.follow(consumer, batch.partition, next);
  }

  /** Called before the consumer stops: the group's offsets catch up while it still runs. */
  async prepareStop(): Promise<void> {
    await this.groupOffsets.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.groupOffsets.cancel();
    const reader = this.rulesReader;
    const feedback = this.feedback;
    this.rulesReader = undefined;
    this.feedback = undefined;
    await (await reader)?.stop();
    await (await feedback)?.stop();
    await this.release([...this.producers.keys()]);
  }

  private applyRuleChanges(): void {
    if (!this.rules.takeChange()) return;
    const slots = this.rules.slots();
    this.processor.setSlots(slots);
    this.log.info({ detectors: slots.map((slot) => `${slot.id}@${slot.version ?? slot.definition.meta.version}`) }, 'detectors in force');
  }

  private async restore(partitions: readonly number[]): Promise<void> {
    if (partitions.length === 0) return;
    const { metrics, template } = this.core;
    const runtimes = new Map(partitions.map((p) => [p, this.processor.fresh(p)]));
    const restorer = new ChangelogRestorer(runtimes);
    let result;
    try {
      result = await this.core.kafka.readToEnd(this.changelog, partitions, (partition, messages) => restorer.apply(partition, messages));
      // Labels this state was not given yet may have been trimmed from the buffer: read them back.
      await (await this.feedback)?.backfill([...runtimes.values()]);
      await this.resumePoints.set(partitions, restorer.inputOffsets());
    } catch (error) {
      // Half-restored state must never process events: drop it, the next batch restores again.
      // (Restored state without its resume point would run the events it holds again, as late.)
      for (const partition of partitions) this.processor.release(partition);
      throw error;
    }
    const { keys } = restorer.finish();
    metrics.stateRestoreSeconds.observe({ template: template.name }, result.seconds);
    metrics.stateRestoredRecords.inc({ template: template.name }, result.messages);
    this.log.info({ partitions, records: result.messages, keys, seconds: result.seconds }, 'restored detector state from the changelog');
  }

  private async commitTransaction(batch: MessageBatch, output: DetectOutput, control: BatchControl): Promise<void> {
    const producer = await this.producerFor(batch.partition).get();
    const tx = await producer.transaction();
    try {
      await tx.send(output.messages);
      if (control.isStale()) throw new Error('partition revoked during the batch');
      await tx.commit();
    } catch (error) {
      await tx.abort().catch((abortError: unknown) => this.log.warn({ err: abortError }, 'abort failed; the broker aborts on timeout or fencing'));
      throw error;
    }
  }

  private producerFor(partition: number): LazyProducer {
    let producer = this.producers.get(partition);
    if (!producer) {
      producer = new LazyProducer(this.core.kafka, { transactionalId: `${this.group}.${this.core.template.topics.input}.${partition}` });
      this.producers.set(partition, producer);
    }
    return producer;
  }

  private async release(partitions: readonly number[]): Promise<void> {
    for (const partition of partitions) {
      this.processor.release(partition);
      this.groupOffsets.forget(partition);
      this.resumePoints.forget(partition);
      await this.dropProducer(partition);
    }
  }

  private async dropProducer(partition: number): Promise<void> {
    const producer = this.producers.get(partition);
    this.producers.delete(partition);
    await producer?.close().catch((error: unknown) => this.log.warn({ err: error, partition }, 'closing the partition producer failed'));
  }

  private record(batch: MessageBatch, output: DetectOutput, lastOffset: string): void {
    const { metrics, template } = this.core;
    const t = { template: template.name };
    metrics.processed.inc(t, output.events);
    metrics.lateEvents.inc(t, output.late);
    for (const f of output.findings) metrics.findings.inc({ ...t, detector: f.detector, severity: f.severity });
    for (const a of output.alerts) metrics.alerts.inc({ ...t, detector: a.finding.detector, severity: a.finding.severity });
    for (const d of output.deadLetters) metrics.deadLetters.inc({ ...t, stage: 'detect', code: d.code });
    recordLag(metrics, 'detect', batch, lastOffset);
    const runtime = this.processor.runtime(batch.partition);
    const partition = { ...t, partition: String(batch.partition) };
    metrics.stateKeys.set(partition, runtime.state.keyCount());
    metrics.stateEvicted.inc(t, runtime.evicted);
    runtime.evicted = 0;
    // Sampling values is cheap but not free: refresh the estimate every few seconds per partition.
    const now = Date.now();
    if (now - (this.bytesSampledAt.get(batch.partition) ?? 0) > 5_000) {
      this.bytesSampledAt.set(batch.partition, now);
      metrics.stateBytes.set(partition, runtime.state.estimateBytes());
    }
  }
}
