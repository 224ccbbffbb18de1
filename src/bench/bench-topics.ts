import { Kafka, logLevel } from 'kafkajs';

/**
 * Deletes the topics a run created on a broker it does not own (KAFKA_BROKERS set); a local
 * broker takes its topics with it. Vigil's KafkaAdmin has no delete on purpose, so this uses
 * kafkajs' admin directly. Topics that do not exist are ignored.
 */
export async function deleteTopics(brokers: readonly string[], topics: readonly string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'vigil-bench-cleanup', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    // A name twice in one request makes the broker refuse the whole request (INVALID_REQUEST).
    const ours = [...new Set(topics)].filter((topic) => existing.has(topic));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with one of `prefixes` (a peer's outputs and internal topics). */
export async function deleteTopicsWithPrefixes(brokers: readonly string[], prefixes: readonly string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const admin = new Kafka({ clientId: 'vigil-bench-cleanup', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let ours: string[];
  try {
    ours = (await admin.listTopics()).filter((topic) => prefixes.some((prefix) => topic.startsWith(prefix)));
  } finally {
    await admin.disconnect();
  }
  await deleteTopics(brokers, ours);
}
