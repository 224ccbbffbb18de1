import { randomBytes } from 'node:crypto';
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import type { BareConsumeOptions } from './kafkajs-consume.js';
import { consumeMeasurement, untilDone, type ConsumeMeasurement } from './measurement.js';

/**
 * @platformatic/kafka with nothing on top: its own group, a messages stream from the earliest
 * offset, auto-commit off, Buffer keys and values (no deserialisers), every other setting at its
 * defaults (maxBytes 50 MiB, maxWaitTime 5 s), only counting 'data' events.
 */
export async function consumeWithPlatformatic(options: BareConsumeOptions): Promise<ConsumeMeasurement> {
  const { brokers, topic, expected, signal } = options;
  const consumer = new Consumer({
    clientId: 'vigil-bench',
    groupId: `vigil-bench-platformatic-${randomBytes(4).toString('hex')}`,
    bootstrapBrokers: [...brokers],
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let firstAt: number | undefined;
  let count = 0;
  try {
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    const finished = new Promise<number>((resolve, reject) => {
      stream.on('data', () => {
        firstAt ??= performance.now();
        count++;
        if (count === expected) resolve(performance.now());
      });
      stream.once('error', reject);
    });
    try {
      const doneAt = await untilDone(finished, signal, '@platformatic/kafka consumer');
      return consumeMeasurement('@platformatic/kafka (bare)', count, { startedAt: started, firstAt: firstAt ?? doneAt, doneAt }, process.cpuUsage(cpuBefore));
    } finally {
      await stream.close().catch(() => undefined);
    }
  } finally {
    await consumer.close(true).catch(() => undefined);
  }
}
