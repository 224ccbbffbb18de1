import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { consumeMeasurement, untilDone, type ConsumeMeasurement } from './measurement.js';

export interface BareConsumeOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly expected: number;
  readonly signal: AbortSignal;
}

/**
 * kafkajs with nothing on top: its own group, eachBatch, auto-commit off, every other setting at
 * kafkajs' defaults (maxBytesPerPartition 1 MiB, maxBytes 10 MiB, one partition at a time), only
 * counting messages. This is the ceiling for Vigil's stages, which run on the same client.
 */
export async function consumeWithKafkajs(options: BareConsumeOptions): Promise<ConsumeMeasurement> {
  const { brokers, topic, expected, signal } = options;
  const kafka = new Kafka({ clientId: 'vigil-bench', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `vigil-bench-kafkajs-${randomBytes(4).toString('hex')}` });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let firstAt: number | undefined;
  let count = 0;
  let finish: (doneAt: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        firstAt ??= performance.now();
        count += batch.messages.length;
        if (count >= expected) finish(performance.now());
        return Promise.resolve();
      },
    });
    const doneAt = await untilDone(finished, signal, 'kafkajs consumer');
    return consumeMeasurement('kafkajs (bare)', count, { startedAt: started, firstAt: firstAt ?? doneAt, doneAt }, process.cpuUsage(cpuBefore));
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
