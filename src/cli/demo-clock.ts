import type { VigilCore } from '../core/vigil-core.js';
import { topicPartitions } from '../kafka/topic-partitions.js';
import { EventDecoder } from '../runtime/event-decoder.js';

/**
 * The newest event time among the last message of each partition of the template's input topic,
 * or undefined when the topic holds no readable event. A demo run continues its simulated clock
 * after it: the detect stage's watermark survives in Kafka from one run to the next, and events
 * timed before it would be late (skipped by the detectors). The topic, not ClickHouse, is read
 * because events of an interrupted run may be in Kafka and not stored yet.
 */
export async function lastInputEventTime(core: VigilCore): Promise<number | undefined> {
  const topic = core.template.topics.input;
  const decoder = new EventDecoder(core.template, core.loaded.format);
  let newest: number | undefined;
  await core.kafka.readToEnd(
    topic,
    await topicPartitions(core.kafka, topic),
    (partition, messages) => {
      for (const message of messages) {
        try {
          const { time } = decoder.decode(message.value, { topic, partition, offset: message.offset });
          newest = Math.max(newest ?? time, time);
        } catch {
          // Not an event this template reads (it was dead-lettered): it moved no watermark.
        }
      }
    },
    { last: 1 },
  );
  return newest;
}
