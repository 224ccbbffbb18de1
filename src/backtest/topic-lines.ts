import type { KafkaClient } from '../kafka/kafka.types.js';
import { topicPartitions } from '../kafka/topic-partitions.js';

export interface TopicHistory {
  /** Message values as text, all partitions merged in timestamp order. */
  readonly lines: string[];
  /** Messages without a value (tombstones), left out. */
  readonly empty: number;
}

/**
 * A topic's messages, up to the end offsets it has now, as history lines for a backtest, in event
 * time order: Kafka orders messages only within a partition, and message timestamps need not follow
 * event time (a bulk load stamps everything alike), so the lines are sorted by `eventTime` of each
 * value (a message it cannot read keeps its Kafka timestamp and is reported by the replay).
 * Everything is held in memory: for a time range of a topic, not for months of a busy one.
 */
export async function readTopicHistory(kafka: KafkaClient, topic: string, eventTime: (value: string) => number | undefined): Promise<TopicHistory> {
  const partitions = await topicPartitions(kafka, topic);
  const read: { timestamp: number; partition: number; index: number; value: string }[] = [];
  let empty = 0;
  await kafka.readToEnd(topic, partitions, (partition, messages) => {
    for (const message of messages) {
      if (message.value === null || message.value.length === 0) {
        empty++;
        continue;
      }
      const value = message.value.toString('utf8');
      read.push({ timestamp: eventTime(value) ?? message.timestamp, partition, index: read.length, value });
    }
  });
  // Ties keep partition, then offset order, so the same topic always replays the same way.
  read.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.index - b.index);
  return { lines: read.map((r) => r.value), empty };
}
