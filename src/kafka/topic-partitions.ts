import type { KafkaClient } from './kafka.types.js';

/** The partition numbers `topic` has now, from a short-lived admin client. */
export async function topicPartitions(kafka: KafkaClient, topic: string): Promise<number[]> {
  const admin = await kafka.admin();
  try {
    return (await admin.topicOffsets(topic)).map((o) => o.partition);
  } finally {
    await admin.close();
  }
}
