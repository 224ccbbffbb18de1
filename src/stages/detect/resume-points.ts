import type { KafkaClient, MessageBatch } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';

/**
 * Per partition, the next input offset of the restored state: the changelog's `i` record, or the
 * group's committed offset if that is further (a changelog written before `i` records). The
 * consumer starts from the group's offset, which lags the changelog, and it resolved that start
 * when the partition was assigned, BEFORE our producer fenced the previous owner, whose last
 * transactions may have moved the changelog further still. Events below this offset are already
 * in the restored state and their findings already out: they are skipped.
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

  /** The batch without the events a previous owner already committed. */
  unseen(batch: MessageBatch): MessageBatch {
    const from = this.resumeFrom.get(batch.partition);
    if (from === undefined) return batch;
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= from);
    if (messages.length === batch.messages.length) this.resumeFrom.delete(batch.partition);
    else this.log.info({ partition: batch.partition, skipped: batch.messages.length - messages.length, resumeFrom: from.toString() }, 'skipped events a previous owner already committed');
    return messages.length === batch.messages.length ? batch : { ...batch, messages };
  }
}
