import type { RebalanceListener, TopicPartition } from '../kafka/kafka.types.js';

/**
 * The consumer is configured before Nest has built the stage that must hear about rebalances;
 * this relay is handed to the consumer first and pointed at the stage once it exists.
 */
export class RebalanceRelay implements RebalanceListener {
  target: RebalanceListener | undefined;

  async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    await this.target?.onAssigned?.(partitions);
  }

  async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    await this.target?.onRevoked?.(partitions);
  }
}
