import type { KafkaClient } from '../kafka/kafka.types.js';
import { topicPartitions } from '../kafka/topic-partitions.js';

/**
 * Every record value of `topic` up to its end offsets now, read_committed (what a downstream
 * consumer sees of a transactional writer), all partitions. A record without a value counts as
 * empty bytes. Held in memory: for a run's findings and alerts, not for an input topic.
 */
export async function readTopicValues(kafka: KafkaClient, topic: string): Promise<Buffer[]> {
  const partitions = await topicPartitions(kafka, topic);
  const values: Buffer[] = [];
  await kafka.readToEnd(topic, partitions, (_partition, messages) => {
    for (const message of messages) values.push(message.value ?? Buffer.alloc(0));
  });
  return values;
}
