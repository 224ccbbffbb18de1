import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { groupId, VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import type { BatchControl, MessageBatch, Producer, TopicPartition } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import { DetectProcessor, type DetectOutput } from './detect.processor.js';

/**
 * Detect: input events → detectors → findings, alerts and dead letters on their topics.
 *
 * Exactly-once effect: a batch's output and its input offsets are committed in ONE Kafka
 * transaction, so a crash leaves either both or neither, and consumers reading committed data
 * (the sink, notify) never see output of a batch whose offsets were not committed. Each input
 * partition has its own transactional id, so when a partition moves to another process the new
 * owner's producer fences the old one: a stalled "zombie" can no longer commit for it.
 */
@Injectable()
export class DetectStage implements OnApplicationShutdown {
  private readonly processor: DetectProcessor;
  private readonly producers = new Map<number, Promise<Producer>>();
  private readonly group: string;
  private readonly log: Logger;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'detect' });
    this.group = groupId(core.template, 'detect');
    const log = this.log;
    this.processor = new DetectProcessor(core.template, core.detectors, {
      debug: (message, details) => log.debug(details ?? {}, message),
      info: (message, details) => log.info(details ?? {}, message),
      warn: (message, details) => log.warn(details ?? {}, message),
    });
  }

  async handle(batch: MessageBatch, control: BatchControl): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last) return;
    const { metrics, template } = this.core;
    metrics.consumed.inc({ template: template.name, stage: 'detect', topic: batch.topic }, batch.messages.length);
    let output: DetectOutput;
    try {
      output = this.processor.process(batch);
      await this.commitTransaction(batch, output, (BigInt(last.offset) + 1n).toString(), control);
    } catch (error) {
      // The detectors' state already holds this batch; drop it so the re-delivered batch is not
      // counted twice. (State restore from a changelog is the runtime's next step.)
      this.processor.release(batch.partition);
      throw error;
    }
    this.record(batch, output, last.offset);
  }

  onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    return this.release(partitions.map((p) => p.partition));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.release([...this.producers.keys()]);
  }

  private async commitTransaction(batch: MessageBatch, output: DetectOutput, nextOffset: string, control: BatchControl): Promise<void> {
    const producer = await this.producerFor(batch);
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

  private producerFor(batch: MessageBatch): Promise<Producer> {
    let producer = this.producers.get(batch.partition);
    if (!producer) {
      producer = this.core.kafka.producer({ transactionalId: `${this.group}.${batch.topic}.${batch.partition}` });
      producer.catch(() => this.producers.delete(batch.partition));
      this.producers.set(batch.partition, producer);
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
    metrics.processed.inc({ template: template.name }, output.events);
    for (const f of output.findings) metrics.findings.inc({ template: template.name, detector: f.detector, severity: f.severity });
    for (const a of output.alerts) metrics.alerts.inc({ template: template.name, detector: a.finding.detector, severity: a.finding.severity });
    for (const d of output.deadLetters) metrics.deadLetters.inc({ template: template.name, stage: 'detect', code: d.code });
    const lag = BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n;
    metrics.lag.set({ stage: 'detect', topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(lag)));
    metrics.stateKeys.set({ template: template.name, partition: String(batch.partition) }, this.processor.runtime(batch.partition).state.keyCount());
  }
}
