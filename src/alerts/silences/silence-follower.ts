import { randomUUID } from 'node:crypto';
import { VigilError } from '../../errors/vigil-error.js';
import type { BatchConsumer, KafkaClient } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { SilenceStore } from './silence-store.js';

const READY_TIMEOUT_MS = 60_000;

/**
 * Keeps a SilenceStore in step with the silences topic: a consumer in a group of its own (so every
 * process sees every silence) that reads from the beginning and follows new ones. It commits
 * nothing: the topic is compacted and small, and every start reads it whole. `start` resolves
 * only once everything written before it was read, so a restarted notify stage never sends an
 * alert that an existing silence covers.
 */
export class SilenceFollower {
  readonly store = new SilenceStore();
  private consumer: BatchConsumer | undefined;
  private started: Promise<void> | undefined;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly topic: string,
    private readonly groupPrefix: string,
    private readonly log: Logger,
  ) {}

  /** Idempotent: Nest may run init hooks more than once (init, then listen). */
  start(): Promise<void> {
    this.started ??= this.follow();
    return this.started;
  }

  private async follow(): Promise<void> {
    const admin = await this.kafka.admin();
    const ends = new Map<number, bigint>();
    try {
      for (const { partition, offset } of await admin.topicOffsets(this.topic)) if (BigInt(offset) > 0n) ends.set(partition, BigInt(offset));
    } finally {
      await admin.close();
    }
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (ends.size === 0) caughtUp();

    const consumer = this.kafka.consumer({ groupId: `${this.groupPrefix}.${randomUUID()}`, topics: [this.topic], fromBeginning: true });
    this.consumer = consumer;
    await consumer.run((batch) => {
      for (const message of batch.messages) {
        const result = this.store.apply(message);
        if (!result.ok) this.log.warn({ topic: this.topic, offset: message.offset, reason: result.reason }, 'skipped an unreadable silence');
      }
      const last = batch.messages.at(-1);
      const end = ends.get(batch.partition);
      if (last && end !== undefined && BigInt(last.offset) + 1n >= end) {
        ends.delete(batch.partition);
        if (ends.size === 0) caughtUp();
      }
      return Promise.resolve();
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new VigilError('VIGIL_KAFKA', `reading the silences in ${this.topic} took over ${READY_TIMEOUT_MS} ms`, { retryable: true })), READY_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Stops following; the store keeps answering with what it has. Idempotent. */
  async stop(): Promise<void> {
    await this.started?.catch(() => undefined);
    await this.consumer?.stop();
  }
}
