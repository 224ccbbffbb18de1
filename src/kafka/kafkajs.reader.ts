import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { VigilError } from '../errors/vigil-error.js';
import type { Logger } from '../logging/logger.js';
import { retryStart } from './retry-start.js';
import { kafkaCall } from './kafkajs.errors.js';
import { toIncomingMessage } from './kafkajs.messages.js';
import type { IncomingMessage, ReadResult } from './kafka.types.js';

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * kafkajs cannot assign partitions by hand, so the reader is a consumer of a throw-away group: it
 * pauses partitions it was not asked for as soon as it sees them, and tracks progress through
 * kafkajs' batch instrumentation, which also reports batches made only of transaction markers
 * (a changelog written in transactions ends with one, so its last message is never the end).
 * Call it after fencing the partition's previous writers, so no transaction is left open.
 */
export async function readToEnd(
  kafka: Kafka,
  topic: string,
  partitions: readonly number[],
  onMessages: (partition: number, messages: readonly IncomingMessage[]) => void,
  options: { logger?: Logger; timeoutMs?: number; last?: number } = {},
): Promise<ReadResult> {
  const started = performance.now();
  const bounds = await offsetBounds(kafka, topic, partitions);
  const ends = new Map([...bounds].map(([partition, { high }]) => [partition, high]));
  const last = options.last;
  const starts = new Map(
    [...bounds].map(([partition, { low, high }]) => [partition, last === undefined ? 0n : maxBigInt(low, high - BigInt(last))]),
  );
  const remaining = new Set([...ends].filter(([partition, end]) => end > (starts.get(partition) ?? 0n)).map(([partition]) => partition));
  if (remaining.size === 0) return { messages: 0, seconds: (performance.now() - started) / 1000 };

  const groupId = `vigil.restore.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 16 * 1024 * 1024, allowAutoTopicCreation: false });
  let messages = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const progress = (partition: number, lastOffset: string) => {
    const end = ends.get(partition);
    if (end !== undefined && BigInt(lastOffset) + 1n >= end) remaining.delete(partition);
    if (remaining.size === 0) resolveDone();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => progress(payload.partition, payload.lastOffset));
  try {
    await kafkaCall(`restore reader for ${topic}`, async () => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (!ends.has(batch.partition)) {
          consumer.pause([{ topic, partitions: [batch.partition] }]);
          return;
        }
        const end = ends.get(batch.partition)!;
        const start = starts.get(batch.partition) ?? 0n;
        const wanted = batch.messages
          .filter((m) => BigInt(m.offset) >= start && BigInt(m.offset) < end)
          .map((m) => toIncomingMessage(topic, batch.partition, m));
        messages += wanted.length;
        if (wanted.length > 0) onMessages(batch.partition, wanted);
        // Without this kafkajs fetches the same offsets again: a partition bigger than one fetch never ends.
        resolveOffset(batch.lastOffset());
        // Past the end? Then this partition is done, even if more arrived meanwhile.
        if (wanted.length < batch.messages.length) progress(batch.partition, (end - 1n).toString());
      },
    });
    // Kept by kafkajs until the partition's first fetch, whenever the group assigns it.
    if (last !== undefined) for (const partition of remaining) consumer.seek({ topic, partition, offset: starts.get(partition)!.toString() });
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new VigilError('VIGIL_KAFKA', `reading ${topic} partitions ${[...remaining].join(',')} to their end took over ${timeoutMs} ms`, { retryable: true })), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect().catch((error: unknown) => options.logger?.warn({ err: error }, 'restore reader did not disconnect cleanly'));
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => void admin.disconnect());
  }
  return { messages, seconds: (performance.now() - started) / 1000 };
}

/**
 * Retried like other start-up steps: a changelog created a moment ago may answer "not the leader"
 * for a while, and failing here would fail the assignment (the consumer restarts, seconds later).
 */
function offsetBounds(kafka: Kafka, topic: string, partitions: readonly number[]): Promise<Map<number, { low: bigint; high: bigint }>> {
  return retryStart(() => offsetBoundsOnce(kafka, topic, partitions));
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

async function offsetBoundsOnce(kafka: Kafka, topic: string, partitions: readonly number[]): Promise<Map<number, { low: bigint; high: bigint }>> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const offsets = await kafkaCall(`end offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
    const wanted = new Set(partitions);
    return new Map(offsets.filter((o) => wanted.has(o.partition)).map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
  } finally {
    await admin.disconnect();
  }
}
