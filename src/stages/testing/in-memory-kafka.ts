import { loadConfig } from '../../config/vigil-config.js';
import type { VigilCore } from '../../core/vigil-core.js';
import { createLogger } from '../../logging/logger.js';
import { VigilMetrics } from '../../metrics/metrics.js';
import type { LoadedTemplate } from '../../model/template/template.schema.js';
import { detectorSlots } from '../../runtime/detector-slots.js';
import type {
  BatchConsumer,
  BatchControl,
  IncomingMessage,
  KafkaAdmin,
  KafkaClient,
  MessageBatch,
  OutgoingMessage,
  Producer,
  ProducerTransaction,
  TopicPartitionOffset,
} from '../../kafka/kafka.types.js';

/**
 * An in-memory KafkaClient for stage unit specs: topics are arrays of committed messages per
 * partition, transactions land only on commit, and group commits are recorded. Only what the
 * stages call is implemented; integration tests run the stages on a real broker.
 */
export class InMemoryKafka implements KafkaClient {
  readonly topics = new Map<string, IncomingMessage[][]>();
  readonly groupCommits = new Map<string, TopicPartitionOffset[]>();
  /** Producers created, by transactional id ('' for plain ones). */
  readonly producers: string[] = [];

  append(message: OutgoingMessage): void {
    const partition = message.partition ?? 0;
    const partitions = this.topics.get(message.topic) ?? [];
    this.topics.set(message.topic, partitions);
    const list = (partitions[partition] ??= []);
    list.push({
      topic: message.topic,
      partition,
      offset: String(list.length),
      key: message.key === null || message.key === undefined ? null : Buffer.from(message.key),
      value: message.value === null ? null : Buffer.from(message.value),
      headers: { ...message.headers },
      timestamp: 0,
    });
  }

  messages(topic: string, partition = 0): IncomingMessage[] {
    return this.topics.get(topic)?.[partition] ?? [];
  }

  consumer(): BatchConsumer {
    throw new Error('stage specs hand batches to the stage; they start no consumer');
  }

  async readToEnd(topic: string, partitions: readonly number[], onMessages: (partition: number, messages: readonly IncomingMessage[]) => void) {
    let messages = 0;
    for (const partition of partitions) {
      const list = [...this.messages(topic, partition)];
      messages += list.length;
      if (list.length > 0) onMessages(partition, list);
    }
    return { messages, seconds: 0 };
  }

  async producer(options?: { transactionalId?: string }): Promise<Producer> {
    this.producers.push(options?.transactionalId ?? '');
    const send = async (messages: readonly OutgoingMessage[]) => {
      for (const message of messages) this.append(message);
    };
    return {
      send,
      transaction: async (): Promise<ProducerTransaction> => {
        const pending: OutgoingMessage[] = [];
        return {
          send: async (messages) => void pending.push(...messages),
          sendOffsets: async () => undefined,
          commit: () => send(pending),
          abort: async () => void (pending.length = 0),
        };
      },
      close: async () => undefined,
    };
  }

  async admin(): Promise<KafkaAdmin> {
    return {
      ensureTopics: async () => undefined,
      topicOffsets: async () => [],
      topicWatermarks: async () => [],
      groupOffsets: async (groupId) => this.groupCommits.get(groupId) ?? [],
      ping: async () => undefined,
      close: async () => undefined,
    };
  }

  /** A consumer of `group` whose commits land in `groupCommits` (the latest per partition). */
  committer(group: string): BatchConsumer {
    return {
      run: async () => undefined,
      commit: async (offsets) => {
        const kept = (this.groupCommits.get(group) ?? []).filter((o) => !offsets.some((n) => n.topic === o.topic && n.partition === o.partition));
        this.groupCommits.set(group, [...kept, ...offsets]);
      },
      pause: () => undefined,
      resume: () => undefined,
      assignment: () => [],
      stop: async () => undefined,
    };
  }
}

export const LIVE: BatchControl = { heartbeat: async () => undefined, isStale: () => false };

/** The batch of `messages` of one partition, as the consumer would hand it over. */
export function batchOf(topic: string, partition: number, messages: readonly IncomingMessage[], highWatermark?: string): MessageBatch {
  const last = messages.at(-1);
  return { topic, partition, messages, highWatermark: highWatermark ?? String(last === undefined ? 0 : Number(last.offset) + 1) };
}

/** A core for one stage in a spec: the given template and Kafka, default configuration, no ClickHouse. */
export function testCore(kafka: KafkaClient, loaded: LoadedTemplate, env: Record<string, string> = {}): VigilCore {
  return {
    config: loadConfig(env),
    logger: createLogger('silent'),
    metrics: new VigilMetrics(),
    loaded,
    template: loaded.template,
    detectors: detectorSlots(loaded),
    kafka,
    clickhouse: undefined,
  };
}
