import type { Admin, Kafka } from 'kafkajs';
import { kafkaCall } from './kafkajs.errors.js';
import { retryStart } from './retry-start.js';
import type { KafkaAdmin, PartitionWatermarks, TopicPartitionOffset, TopicSpec } from './kafka.types.js';

export async function createKafkajsAdmin(kafka: Kafka): Promise<KafkaAdmin> {
  const admin = kafka.admin();
  await kafkaCall('connect admin', () => admin.connect());
  return new KafkajsAdmin(admin);
}

class KafkajsAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin) {}

  /**
   * Retried as a start-up step: right after creating a topic a busy broker may answer the metadata
   * requests of kafkajs' wait for leaders with UNKNOWN_TOPIC_OR_PARTITION, which kafkajs gives up
   * on. Repeating is safe (what exists is not created again), and every requested topic's metadata
   * must answer before this returns.
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    return retryStart(async () => {
      await this.createMissing(topics);
      await kafkaCall('topic metadata', () => this.admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) }));
    });
  }

  private async createMissing(topics: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await kafkaCall('list topics', () => this.admin.listTopics()));
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    // kafkajs treats "already exists" (a concurrent creator won) as success.
    await kafkaCall(`create topics ${missing.map((t) => t.topic).join(', ')}`, () =>
      this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      }),
    );
  }

  async topicOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    const offsets = await kafkaCall(`fetch offsets of topic ${topic}`, () => this.admin.fetchTopicOffsets(topic));
    return offsets.map((o) => ({ topic, partition: o.partition, offset: o.high })).sort((a, b) => a.partition - b.partition);
  }

  async topicWatermarks(topic: string): Promise<PartitionWatermarks[]> {
    const offsets = await kafkaCall(`fetch offsets of topic ${topic}`, () => this.admin.fetchTopicOffsets(topic));
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })).sort((a, b) => a.partition - b.partition);
  }

  async groupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    const byTopic = await kafkaCall(`fetch offsets of group ${groupId}`, () =>
      this.admin.fetchOffsets({ groupId, topics: [...topics] }),
    );
    return byTopic.flatMap(({ topic, partitions }) =>
      partitions
        .filter((p) => p.offset !== '-1' && p.offset !== '')
        .map((p) => ({ topic, partition: p.partition, offset: p.offset }))
        .sort((a, b) => a.partition - b.partition),
    );
  }

  async ping(): Promise<void> {
    await kafkaCall('ping (metadata request)', () => this.admin.describeCluster());
  }

  async close(): Promise<void> {
    await kafkaCall('disconnect admin', () => this.admin.disconnect());
  }
}
