import type { BatchConsumer } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';

/** How often the group's offsets catch up with what the changelog holds. */
const GROUP_COMMIT_MS = 250;

/**
 * The detect group's committed offsets, following its committed transactions lazily. They serve
 * lag and where the consumer starts, not exactly-once (each transaction carries its next input
 * offset on the changelog), so they are never ahead of the changelog and a failed commit is simply
 * retried with the next batch or tick.
 */
export class GroupOffsets {
  /** Per partition, the next offset of its last committed transaction, not yet committed for the group. */
  private readonly uncommitted = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private consumer: BatchConsumer | undefined;
  private stopping = false;

  constructor(
    private readonly topic: string,
    /** Whether this member still owns the partition (a failed commit is kept only for those). */
    private readonly owns: (partition: number) => boolean,
    private readonly log: Logger,
  ) {}

  /** A partition's transaction committed up to `next`: the group follows soon, or now when stopping. */
  async follow(consumer: BatchConsumer, partition: number, next: string): Promise<void> {
    this.consumer = consumer;
    this.uncommitted.set(partition, next);
    // Stopping: the consumer ends after this batch, so its offset goes now, not on a timer.
    if (this.stopping) await this.commit();
    else this.timer ??= setTimeout(() => void this.commit(), GROUP_COMMIT_MS).unref();
  }

  /** Called before the consumer stops: the offsets catch up while it still runs. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.commit();
  }

  forget(partition: number): void {
    this.uncommitted.delete(partition);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  private async commit(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const consumer = this.consumer;
    if (!consumer || this.uncommitted.size === 0) return;
    const offsets = [...this.uncommitted].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
    this.uncommitted.clear();
    try {
      await consumer.commit(offsets);
    } catch (error) {
      for (const { partition, offset } of offsets) if (!this.uncommitted.has(partition) && this.owns(partition)) this.uncommitted.set(partition, offset);
      this.log.debug({ err: error }, 'group offsets not committed now; the changelog holds them, retrying later');
    }
  }
}
