import type { BatchConsumer, BatchControl, MessageBatch, RebalanceListener } from '../kafka/kafka.types.js';

/**
 * What every stage (detect, sink, notify) is to the launcher and its Nest module: one batch
 * handler with one signature, the rebalance hooks, and an optional hook before the consumer stops.
 * Each stage commits its own offsets through `consumer` (detect in its transaction, the sink after
 * each insert, notify up to what its receivers and groups allow).
 */
export interface Stage extends RebalanceListener {
  handle(batch: MessageBatch, control: BatchControl, consumer: BatchConsumer): Promise<void>;
  /** Called before the consumer stops: abandon long waits (retries) so in-flight batches end quickly. */
  prepareStop?(): void | Promise<void>;
}

/** The names the stages go by in metrics, logs, consumer groups and `--services`. */
export type StageName = 'detect' | 'sink' | 'notify';
