import { randomUUID } from 'node:crypto';
import type { BatchConsumer, IncomingMessage, KafkaClient } from '../../kafka/kafka.types.js';
import { retryStart } from '../../kafka/retry-start.js';
import { topicPartitions } from '../../kafka/topic-partitions.js';

export interface BroadcastReaderOptions {
  readonly kafka: KafkaClient;
  readonly topic: string;
  /** Gets every record of the topic once, in offset order per partition (committed data only). */
  readonly onMessages: (partition: number, messages: readonly IncomingMessage[]) => void;
  /** Names the throw-away consumer group, for operators reading group lists. */
  readonly purpose: string;
}

/**
 * Reads a WHOLE topic in every instance, whatever partitions of other topics the instance owns:
 * for records each detect instance needs all of (rules, fraud labels). `start` resolves after the
 * records present at start were delivered, so a stage can wait for them before processing events;
 * then it tails the topic. The tail is a consumer of its own throw-away group (one member, so it
 * gets every partition), reading from the beginning and skipping what the first read delivered:
 * the adapter reads to the end robustly (transaction markers included) but cannot seek.
 */
export class BroadcastReader {
  private consumer: BatchConsumer | undefined;

  private constructor(private readonly options: BroadcastReaderOptions) {}

  static async start(options: BroadcastReaderOptions): Promise<BroadcastReader> {
    const reader = new BroadcastReader(options);
    await reader.begin();
    return reader;
  }

  private async begin(): Promise<void> {
    const { kafka, topic, onMessages } = this.options;
    const delivered = new Map<number, bigint>();
    await retryStart(async () => {
      const partitions = await topicPartitions(kafka, topic);
      // A retry after a partial read delivers nothing twice: `delivered` filters repeats.
      await kafka.readToEnd(topic, partitions, (partition, messages) => {
        const upTo = delivered.get(partition);
        const fresh = upTo === undefined ? messages : messages.filter((m) => BigInt(m.offset) > upTo);
        if (fresh.length === 0) return;
        delivered.set(partition, BigInt(fresh.at(-1)!.offset));
        onMessages(partition, fresh);
      });
    });
    const consumer = kafka.consumer({ groupId: `vigil.${this.options.purpose}.${randomUUID()}`, topics: [topic], fromBeginning: true });
    await consumer.run((batch) => {
      const upTo = delivered.get(batch.partition);
      const fresh = upTo === undefined ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) > upTo);
      if (fresh.length > 0) {
        delivered.set(batch.partition, BigInt(fresh.at(-1)!.offset));
        onMessages(batch.partition, fresh);
      }
      return Promise.resolve();
    });
    this.consumer = consumer;
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }
}
