import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { groupId, VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import type { BatchControl, MessageBatch, Producer, TopicPartition } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import { changelogTopic, decodeRecord } from './changelog.js';
import { DetectProcessor, type DetectOutput } from './detect.processor.js';
import type { DetectorLogger } from '../detectors/detector.js';
import { RuleBook } from '../rules/rule-book.js';
import { rulesTopic } from '../rules/rule-record.js';
import { applyMessages, readRuleBook, seedTemplateRules } from '../rules/rules-topic.js';
import { BroadcastReader } from './broadcast-reader.js';
import { FeedbackBuffer } from './feedback-buffer.js';
import { FeedbackFeed } from './feedback-feed.js';

/**
 * Detect: input events → detectors → findings, alerts, dead letters and late events on their
 * topics, and every change to detector state on the stage's changelog.
 *
 * Exactly-once effect: a batch's output, its state changes and its input offsets are committed in
 * ONE Kafka transaction, so a crash leaves all or nothing, and readers of committed data (sink,
 * notify, the restore below) never see part of a batch. Each input partition has its own
 * transactional id: when a partition is assigned, its producer is created first, which fences any
 * previous owner still running (a "zombie") and aborts its open transaction; then the partition's
 * state is restored from its changelog partition before any of its events is processed.
 */
@Injectable()
export class DetectStage implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly detectorLog: DetectorLogger;
  private readonly rules: RuleBook;
  private rulesReader: Promise<BroadcastReader> | undefined;
  private feedback: Promise<FeedbackFeed | undefined> | undefined;
  private readonly labels: FeedbackBuffer | undefined;
  private readonly processor: DetectProcessor;
  private readonly producers = new Map<number, Promise<Producer>>();
  private readonly group: string;
  /**
   * Per partition, the offset the group had committed when its state was restored. The consumer
   * resolved its start offset when the partition was assigned, BEFORE our producer fenced the
   * previous owner; a transaction that owner committed in between moved the committed offset (and
   * the changelog the state was just restored from) past that start. Events below this offset are
   * already in the restored state and their findings already out: they are skipped.
   */
  private readonly resumeFrom = new Map<number, bigint>();
  private readonly changelog: string;
  private readonly log: Logger;
  private readonly bytesSampledAt = new Map<number, number>();

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'detect' });
    this.group = groupId(core.template, 'detect');
    this.changelog = changelogTopic(this.group);
    const log = this.log;
    this.detectorLog = {
      debug: (message, details) => log.debug(details ?? {}, message),
      info: (message, details) => log.info(details ?? {}, message),
      warn: (message, details) => log.warn(details ?? {}, message),
    };
    this.rules = new RuleBook(core.template, core.detectors, this.detectorLog);
    this.labels = core.template.topics.feedback === undefined ? undefined : new FeedbackBuffer();
    this.processor = new DetectProcessor(core.template, core.detectors, this.detectorLog, Date.now, this.labels);
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
    await Promise.all(mine.map((partition) => this.producerFor(partition)));
    await this.restore(mine);
  }

  onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    return this.release(partitions.map((p) => p.partition));
  }

  async handle(batch: MessageBatch, control: BatchControl): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    const { metrics, template } = this.core;
    metrics.consumed.inc({ template: template.name, stage: 'detect', topic: batch.topic }, batch.messages.length);
    this.applyRuleChanges();
    // After a failed batch the partition's state was dropped: rebuild it from the changelog.
    if (!this.processor.has(batch.partition)) await this.restore([batch.partition]);
    const fresh = this.unseen(batch);
    if (fresh.messages.length === 0) return;
    let output: DetectOutput;
    try {
      output = this.processor.process(fresh);
      await this.commitTransaction(batch, output, (BigInt(last.offset) + 1n).toString(), control);
    } catch (error) {
      // The state already holds this batch; drop it so the re-delivered batch is not counted twice.
      this.processor.release(batch.partition);
      throw error;
    }
    this.record(batch, output, last.offset);
    (await this.feedback)?.trim(this.processor.heldRuntimes());
  }

  async onApplicationShutdown(): Promise<void> {
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
    // Records are applied as they arrive: holding a million decoded records first costs GBs.
    const runtimes = new Map(partitions.map((p) => [p, this.processor.fresh(p)]));
    let result;
    try {
      result = await this.core.kafka.readToEnd(this.changelog, partitions, (partition, messages) => {
        const runtime = runtimes.get(partition)!;
        for (const m of messages) runtime.restore(decodeRecord(m.key ?? '', m.value === null ? null : m.value.toString('utf8')));
      });
      // Labels this state was not given yet may have been trimmed from the buffer: read them back.
      await (await this.feedback)?.backfill([...runtimes.values()]);
    } catch (error) {
      // Half-restored state must never process events: drop it, the next batch restores again.
      for (const partition of partitions) this.processor.release(partition);
      throw error;
    }
    await this.readCommittedOffsets(partitions);
    let keys = 0;
    for (const runtime of runtimes.values()) {
      // State of rules deleted (or changed) while this partition was elsewhere is dropped now.
      runtime.prune();
      keys += runtime.state.keyCount();
    }
    metrics.stateRestoreSeconds.observe({ template: template.name }, result.seconds);
    metrics.stateRestoredRecords.inc({ template: template.name }, result.messages);
    this.log.info({ partitions, records: result.messages, keys, seconds: result.seconds }, 'restored detector state from the changelog');
  }

  private async readCommittedOffsets(partitions: readonly number[]): Promise<void> {
    const input = this.core.template.topics.input;
    const admin = await this.core.kafka.admin();
    try {
      const committed = await admin.groupOffsets(this.group, [input]);
      for (const partition of partitions) {
        const offset = committed.find((o) => o.topic === input && o.partition === partition)?.offset;
        if (offset === undefined) this.resumeFrom.delete(partition);
        else this.resumeFrom.set(partition, BigInt(offset));
      }
    } finally {
      await admin.close();
    }
  }

  /** The batch without the events a previous owner already committed (see resumeFrom). */
  private unseen(batch: MessageBatch): MessageBatch {
    const from = this.resumeFrom.get(batch.partition);
    if (from === undefined) return batch;
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= from);
    if (messages.length === batch.messages.length) this.resumeFrom.delete(batch.partition);
    else this.log.info({ partition: batch.partition, skipped: batch.messages.length - messages.length, resumeFrom: from.toString() }, 'skipped events a previous owner already committed');
    return messages.length === batch.messages.length ? batch : { ...batch, messages };
  }

  private async commitTransaction(batch: MessageBatch, output: DetectOutput, nextOffset: string, control: BatchControl): Promise<void> {
    const producer = await this.producerFor(batch.partition);
    const tx = await producer.transaction();
    try {
      if (output.messages.length > 0) await tx.send(output.messages);
      if (control.isStale()) throw new Error('partition revoked during the batch');
      await tx.sendOffsets(this.group, [{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
      await tx.commit();
    } catch (error) {
      await tx.abort().catch((abortError: unknown) => this.log.warn({ err: abortError }, 'abort failed; the broker aborts on timeout or fencing'));
      throw error;
    }
  }

  private producerFor(partition: number): Promise<Producer> {
    let producer = this.producers.get(partition);
    if (!producer) {
      producer = this.core.kafka.producer({ transactionalId: `${this.group}.${this.core.template.topics.input}.${partition}` });
      producer.catch(() => this.producers.delete(partition));
      this.producers.set(partition, producer);
    }
    return producer;
  }

  private async release(partitions: readonly number[]): Promise<void> {
    for (const partition of partitions) {
      this.processor.release(partition);
      const producer = this.producers.get(partition);
      this.producers.delete(partition);
      await producer?.then((p) => p.close()).catch(() => undefined);
    }
  }

  private record(batch: MessageBatch, output: DetectOutput, lastOffset: string): void {
    const { metrics, template } = this.core;
    const t = { template: template.name };
    metrics.processed.inc(t, output.events);
    metrics.lateEvents.inc(t, output.late);
    for (const f of output.findings) metrics.findings.inc({ ...t, detector: f.detector, severity: f.severity });
    for (const a of output.alerts) metrics.alerts.inc({ ...t, detector: a.finding.detector, severity: a.finding.severity });
    for (const d of output.deadLetters) metrics.deadLetters.inc({ ...t, stage: 'detect', code: d.code });
    const lag = BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n;
    metrics.lag.set({ stage: 'detect', topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(lag)));
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
