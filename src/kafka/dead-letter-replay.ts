import type { IncomingMessage, KafkaClient, OutgoingMessage } from './kafka.types.js';
import { DLQ_HEADERS } from './dead-letter.js';

export interface ReplayOptions {
  readonly kafka: KafkaClient;
  /** The dead-letter topic to replay. */
  readonly topic: string;
  /** Remembers what was replayed, so a second replay sends only newer dead letters. */
  readonly groupId: string;
  /** Count only; send and commit nothing. */
  readonly dryRun?: boolean;
}

export interface ReplayResult {
  readonly replayed: number;
  /** By original topic. */
  readonly byTopic: Readonly<Record<string, number>>;
}

/**
 * Sends dead letters back to the topic they came from (header `vigil-source-topic`), with their
 * original key, value and headers, after the cause was fixed. Each partition's dead letters and
 * the replay group's new position are committed in one Kafka transaction, so a replay that dies
 * half-way neither loses nor repeats any. Why each one failed stays on the dead-letter topic.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayResult> {
  const { kafka, topic, groupId } = options;
  const admin = await kafka.admin();
  let ends;
  let committed;
  try {
    ends = await admin.topicOffsets(topic);
    committed = new Map((await admin.groupOffsets(groupId, [topic])).map((o) => [o.partition, BigInt(o.offset)]));
  } finally {
    await admin.close();
  }
  const pending = ends.filter((e) => BigInt(e.offset) > (committed.get(e.partition) ?? 0n));
  const byPartition = new Map<number, IncomingMessage[]>(pending.map((e) => [e.partition, []]));
  await kafka.readToEnd(
    topic,
    pending.map((e) => e.partition),
    (partition, messages) => {
      const from = committed.get(partition) ?? 0n;
      byPartition.get(partition)!.push(...messages.filter((m) => BigInt(m.offset) >= from));
    },
  );
  const byTopic: Record<string, number> = {};
  let replayed = 0;
  const producer = options.dryRun ? undefined : await kafka.producer({ transactionalId: `${groupId}.replay` });
  try {
    for (const end of pending) {
      const messages = byPartition.get(end.partition)!.map(original).filter((m): m is OutgoingMessage => m !== undefined);
      for (const m of messages) byTopic[m.topic] = (byTopic[m.topic] ?? 0) + 1;
      replayed += messages.length;
      if (!producer) continue;
      const tx = await producer.transaction();
      try {
        await tx.send(messages);
        await tx.sendOffsets(groupId, [{ topic, partition: end.partition, offset: end.offset }]);
        await tx.commit();
      } catch (error) {
        await tx.abort().catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await producer?.close();
  }
  return { replayed, byTopic };
}

/** The message as it was before it was dead-lettered; undefined when its origin is unknown. */
function original(message: IncomingMessage): OutgoingMessage | undefined {
  const source = message.headers[DLQ_HEADERS.topic];
  if (!source) return undefined;
  const headers = Object.fromEntries(Object.entries(message.headers).filter(([name]) => !name.startsWith('vigil-')));
  headers['vigil-replayed-from'] = `${message.topic}/${message.partition}/${message.offset}`;
  return { topic: source, key: message.key, value: message.value, headers };
}
