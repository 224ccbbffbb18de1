import type { KafkaClient, MessageBatch } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';

/**
 * Per partition, the next input offset of the state held: after a restore, the changelog's `i`
 * record, or the group's committed offset if that is further (a changelog written before `i`
 * records); then, after each committed batch, the offset after it. Events below it are already in
 * the state and their findings already out: they are skipped, whenever they come. They come after
 * an assignment, as the consumer starts from the group's offset, which lags the changelog and was
 * resolved BEFORE our producer fenced the previous owner, whose last transactions may have moved
 * the changelog further still. And they come with no assignment at all: a consumer that kafkajs
 * restarts (a broker restart, a lost coordinator) fetches again from the group's offset while this
 * process keeps the partition and its state.
 */
export class ResumePoints {
  private readonly resumeFrom = new Map<number, bigint>();

  constructor(
    private readonly kafka: KafkaClient,
    private readonly group: string,
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  /** After a restore: the further of the changelog's input offset and the group's committed one. */
  async set(partitions: readonly number[], inputNext: ReadonlyMap<number, bigint>): Promise<void> {
    const input = this.topic;
    const admin = await this.kafka.admin();
    try {
      const committed = await admin.groupOffsets(this.group, [input]);
      for (const partition of partitions) {
        const group = committed.find((o) => o.topic === input && o.partition === partition)?.offset;
        const candidates = [inputNext.get(partition), group === undefined ? undefined : BigInt(group)].filter((o) => o !== undefined);
        if (candidates.length === 0) this.resumeFrom.delete(partition);
        else this.resumeFrom.set(partition, candidates.reduce((a, b) => (a > b ? a : b)));
      }
    } finally {
      await admin.close();
    }
  }

  /** A batch of the partition committed: the state now holds everything before `next`. */
  advance(partition: number, next: bigint): void {
    const from = this.resumeFrom.get(partition);
    if (from === undefined || next > from) this.resumeFrom.set(partition, next);
  }

  /** The next input offset of the partition's state, when known. */
  position(partition: number): bigint | undefined {
    return this.resumeFrom.get(partition);
  }

  /** The partition is no longer held here. */
  forget(partition: number): void {
    this.resumeFrom.delete(partition);
  }

  /** The batch without the events the state already holds (committed before, by us or a previous owner). */
  unseen(batch: MessageBatch): MessageBatch {
    const from = this.resumeFrom.get(batch.partition);
    if (from === undefined) return batch;
    const first = batch.messages[0];
    if (first === undefined || BigInt(first.offset) >= from) return batch;
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= from);
    this.log.info({ partition: batch.partition, skipped: batch.messages.length - messages.length, resumeFrom: from.toString() }, 'skipped events already committed');
    return { ...batch, messages };
  }
}
