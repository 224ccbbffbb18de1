import type { TopicSpec } from '../model/topics.js';

export type { TopicSpec };
/**
 * Vigil's own small Kafka surface. Stages depend on these types only; `kafkajs.client.ts`
 * implements them today (kafkajs is unmaintained since 2023, so the benchmark also measures
 * @platformatic/kafka and a second implementation can replace it without touching the stages).
 */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read (last processed + 1), as Kafka commits it. */
  readonly offset: string;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Broker or producer timestamp, epoch ms. */
  readonly timestamp: number;
}

export interface MessageBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /** Partition high watermark when the batch was fetched; lag = highWatermark - (last offset + 1). */
  readonly highWatermark: string;
  /**
   * The offset after everything this fetch read, including records Kafka never hands out that
   * follow the last message (transaction markers, aborted records); absent means last offset + 1.
   * Committing it instead of last offset + 1 lets a consumer of a transactional topic reach lag 0.
   */
  readonly nextOffset?: string;
}

export interface OutgoingMessage {
  readonly topic: string;
  readonly key?: string | Buffer | null;
  /** null is a tombstone: on a compacted topic it deletes the key. */
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
  readonly timestamp?: number;
}

/** What a batch handler can do while it works on a batch. */
export interface BatchControl {
  /** Keeps group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** True when a rebalance took the partition away: stop and do not commit. */
  isStale(): boolean;
}

export type BatchHandler = (batch: MessageBatch, control: BatchControl) => Promise<void>;

export interface RebalanceListener {
  /** Called before any batch of a newly assigned partition is handed out. */
  onAssigned?(partitions: readonly TopicPartition[]): Promise<void> | void;
  /** Called when partitions are taken away; their in-flight work must not commit. */
  onRevoked?(partitions: readonly TopicPartition[]): Promise<void> | void;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. Default: earliest. */
  readonly fromBeginning?: boolean;
  readonly rebalance?: RebalanceListener;
  /** Upper bound of bytes fetched per partition per request; bounds memory. */
  readonly maxBytesPerPartition?: number;
  /**
   * How a fetch waits for data: the broker answers once `minBytes` are there or after `maxWaitMs`
   * (defaults 1 byte, 1000 ms: at once). A stage that batches anyway (the sink) asks for more per
   * fetch: fewer, fuller fetches cost it and the broker less CPU per message.
   */
  readonly fetch?: { readonly minBytes: number; readonly maxWaitMs: number };
  readonly sessionTimeoutMs?: number;
  /**
   * How many partitions' batches the handler may be working on at once (default 1). Batches of
   * one partition are still handed out one at a time, in order; a handler must only keep
   * per-partition state, or guard what it shares.
   */
  readonly partitionsConsumedConcurrently?: number;
}

export interface BatchConsumer {
  /** Starts consuming; resolves once the consumer is running (not when it stops). */
  run(handler: BatchHandler): Promise<void>;
  /** Commits offsets explicitly; auto-commit is always off. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Partitions currently assigned to this member. */
  assignment(): readonly TopicPartition[];
  /** Stops fetching, waits for the batch in progress, leaves the group. */
  stop(): Promise<void>;
}

export interface ProducerOptions {
  /**
   * Set to use transactions (exactly-once between consume and produce). A producer is returned
   * only once it has fenced every earlier producer of the id and their last transaction is
   * settled (committed or aborted), so what they committed can be read right after.
   */
  readonly transactionalId?: string;
}

export interface ProducerTransaction {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Commits the consumer's offsets inside the transaction. */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface Producer {
  /** Idempotent, acks=all; resolves when every message is acknowledged by the broker. */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Only for producers created with a transactionalId. */
  transaction(): Promise<ProducerTransaction>;
  close(): Promise<void>;
}

/** A partition's first offset still held (low) and end offset (high: the next offset to be written). */
export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

export interface KafkaAdmin {
  /** Creates the topics that do not exist yet; existing topics are left alone. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** High watermark per partition. */
  topicOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  /** Low and high watermark per partition, in partition order. */
  topicWatermarks(topic: string): Promise<PartitionWatermarks[]>;
  /** Committed offsets of a group (partitions without a commit are left out). */
  groupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** Succeeds when the cluster answers a metadata request. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What `readToEnd` read. */
export interface ReadResult {
  readonly messages: number;
  readonly seconds: number;
}

export interface KafkaClient {
  consumer(options: ConsumerOptions): BatchConsumer;
  /**
   * Reads the given partitions of `topic` from their start up to the end offsets they have when
   * the call starts, committed data only, without joining any group the caller uses. For
   * restoring state from a changelog. `onMessages` gets each partition's messages in order.
   * With `last`, only each partition's last `last` offsets are read (transaction markers count).
   */
  readToEnd(
    topic: string,
    partitions: readonly number[],
    onMessages: (partition: number, messages: readonly IncomingMessage[]) => void,
    options?: { readonly last?: number },
  ): Promise<ReadResult>;
  producer(options?: ProducerOptions): Promise<Producer>;
  admin(): Promise<KafkaAdmin>;
}
