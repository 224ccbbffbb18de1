import { randomUUID } from 'node:crypto';
import type { BatchConsumer, KafkaClient } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { SilenceStore } from './silence-store.js';

/**
 * Keeps a SilenceStore in step with the silences topic: a consumer in a group of its own (so every
 * process sees every silence) that reads from the beginning and follows new ones. It commits
 * nothing: the topic is compacted and small, and every start reads it whole.
 */
export class SilenceFollower {
  readonly store = new SilenceStore();
  private consumer: BatchConsumer | undefined;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly topic: string,
    private readonly groupPrefix: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `${this.groupPrefix}.${randomUUID()}`, topics: [this.topic], fromBeginning: true });
    this.consumer = consumer;
    await consumer.run((batch) => {
      for (const message of batch.messages) {
        const result = this.store.apply(message);
        if (!result.ok) this.log.warn({ topic: this.topic, offset: message.offset, reason: result.reason }, 'skipped an unreadable silence');
      }
      return Promise.resolve();
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }
}
