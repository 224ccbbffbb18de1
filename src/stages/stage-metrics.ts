import type { MessageBatch } from '../kafka/kafka.types.js';
import type { VigilMetrics } from '../metrics/metrics.js';
import type { StageName } from './stage.js';

/** Counts a batch as consumed by the stage, before it is handled. */
export function countConsumed(metrics: VigilMetrics, template: string, stage: StageName, batch: MessageBatch): void {
  metrics.consumed.inc({ template, stage, topic: batch.topic }, batch.messages.length);
}

/** The partition's lag after `lastOffset`: messages between it and the batch's high watermark. */
export function recordLag(metrics: VigilMetrics, stage: StageName, batch: MessageBatch, lastOffset: string): void {
  const lag = BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n;
  metrics.lag.set({ stage, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(lag)));
}
