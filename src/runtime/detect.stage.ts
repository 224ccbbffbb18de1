import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import type { MessageBatch, Producer, TopicPartition } from '../kafka/kafka.types.js';
import { DetectProcessor } from './detect.processor.js';

/**
 * Detect: input events → detectors → findings, alerts and dead letters on their topics. The
 * handler resolves only after Kafka acknowledged everything it produced, and the transport commits
 * the input offsets only then: a crash re-processes, it never skips.
 */
@Injectable()
export class DetectStage implements OnApplicationShutdown {
  private readonly processor: DetectProcessor;
  private producer: Producer | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    const log = core.logger.child({ stage: 'detect' });
    this.processor = new DetectProcessor(core.template, core.detectors, {
      debug: (message, details) => log.debug(details ?? {}, message),
      info: (message, details) => log.info(details ?? {}, message),
      warn: (message, details) => log.warn(details ?? {}, message),
    });
  }

  async handle(batch: MessageBatch): Promise<void> {
    const { metrics, template } = this.core;
    metrics.consumed.inc({ template: template.name, stage: 'detect', topic: batch.topic }, batch.messages.length);
    const output = this.processor.process(batch);
    if (output.messages.length > 0) {
      this.producer ??= await this.core.kafka.producer();
      await this.producer.send(output.messages);
    }
    metrics.processed.inc({ template: template.name }, output.events);
    for (const f of output.findings) metrics.findings.inc({ template: template.name, detector: f.detector, severity: f.severity });
    for (const a of output.alerts) metrics.alerts.inc({ template: template.name, detector: a.finding.detector, severity: a.finding.severity });
    for (const d of output.deadLetters) metrics.deadLetters.inc({ template: template.name, stage: 'detect', code: d.code });
    const last = batch.messages[batch.messages.length - 1];
    if (last) metrics.lag.set({ stage: 'detect', topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)));
    const runtime = this.processor.runtime(batch.partition);
    metrics.stateKeys.set({ template: template.name, partition: String(batch.partition) }, runtime.state.keyCount());
  }

  onRevoked(partitions: readonly TopicPartition[]): void {
    for (const { partition } of partitions) this.processor.release(partition);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.close();
  }
}
