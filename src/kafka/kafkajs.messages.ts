import type { IHeaders, KafkaMessage, Message, TopicMessages, TopicOffsets as KafkajsTopicOffsets } from 'kafkajs';
import type { IncomingMessage, OutgoingMessage, TopicPartitionOffset } from './kafka.types.js';

/** Conversions between kafkajs' shapes and ours (kafka.types.ts). Pure. */

export function toIncomingMessage(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/**
 * Header values decoded as UTF-8. A header repeated in one record keeps its last value (Java's
 * `Headers.lastHeader`), since our headers are a plain record.
 */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  if (!headers) return decoded;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value === undefined) continue;
    decoded[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return decoded;
}

/** Groups messages by topic, keeping their order within each topic. */
export function toTopicMessages(messages: readonly OutgoingMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push({
      key: m.key ?? null,
      value: m.value,
      ...(m.partition === undefined ? {} : { partition: m.partition }),
      ...(m.headers === undefined ? {} : { headers: { ...m.headers } }),
      ...(m.timestamp === undefined ? {} : { timestamp: String(m.timestamp) }),
    });
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}

/** Offsets grouped by topic, as kafkajs' commitOffsets/sendOffsets take them. */
export function toKafkajsOffsets(offsets: readonly TopicPartitionOffset[]): KafkajsTopicOffsets[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    let list = byTopic.get(o.topic);
    if (!list) byTopic.set(o.topic, (list = []));
    list.push({ partition: o.partition, offset: o.offset });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
