import { z } from 'zod';
import { defineDetector } from '../../src/model/detector.js';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import { FeedbackBuffer } from '../../src/runtime/feedback-buffer.js';
import { FeedbackFeed } from '../../src/stages/detect/feedback-feed.js';
import { PartitionRuntime } from '../../src/runtime/partition-runtime.js';
import type { FeedbackLabel } from '../../src/model/records.js';
import { testTemplate } from '../../src/sink/testing/test-template.js';
import { createTopic, produceWithKcat, testBrokers, uniqueName, waitFor } from '../utils/kafka.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function learner(seen: string[]) {
  return defineDetector({
    meta: { name: 'learner', version: '1', description: 'test', params: z.object({}), requiredFields: () => [], stateTtl: () => HOUR },
    create: () => ({ process: () => undefined, onFeedback: (label: FeedbackLabel) => void seen.push(label.event_id) }),
  });
}

const label = (i: number) => ({
  key: `tx-${i}`,
  value: JSON.stringify({ event_id: `tx-${i}`, time: T0, labelled_at: T0 + i * HOUR, entity: 'c', customer_id: 'u', terminal_id: 't', fraud: i % 2 === 0, scenario: 's' }),
});
const event = (hours: number) => ({ id: `e${hours}`, time: T0 + hours * HOUR, key: 'c', fields: {}, source: { topic: 'in', partition: 0, offset: String(hours) } });

describe('feedback feed on the real broker', () => {
  it('reads labels present at start and those that follow, trims what every runtime passed, and reads back what a late runtime needs', async () => {
    const topic = uniqueName('feedback');
    await createTopic(topic, 1);
    await produceWithKcat(topic, [1, 2, 3].map(label), { partition: 0 });
    const kafka = createKafkajsClient({ brokers: testBrokers(), clientId: 'feedback-feed-test' });
    const buffer = new FeedbackBuffer();
    const feed = await FeedbackFeed.start(kafka, topic, 'test.feedback-reader', quiet, buffer, 2);
    try {
      expect(buffer.size()).toBe(3);
      await produceWithKcat(topic, [4, 5].map(label), { partition: 0 });
      await waitFor(() => buffer.size() === 5, 20_000, 'the labels produced after start');

      const seenA: string[] = [];
      const a = new PartitionRuntime(testTemplate(), [{ id: 'learner', definition: learner(seenA), params: {} }], quiet);
      a.useFeedback(buffer);
      a.process(event(4));
      expect(seenA).toEqual(['tx-1', 'tx-2', 'tx-3', 'tx-4']);
      feed.trim([a]);
      expect(buffer.size()).toBe(1); // only tx-5 is still needed by `a`

      // A partition assigned later, with no labels given yet: what was trimmed is read back first.
      const seenB: string[] = [];
      const b = new PartitionRuntime(testTemplate(), [{ id: 'learner', definition: learner(seenB), params: {} }], quiet);
      b.useFeedback(buffer);
      expect(buffer.missing(0, b.feedbackCursor(0))).toBe(true);
      await feed.backfill([b]);
      expect(buffer.missing(0, b.feedbackCursor(0))).toBe(false);
      b.process(event(10));
      expect(seenB).toEqual(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
      a.process(event(10));
      expect(seenA).toEqual(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
    } finally {
      await feed.stop();
    }
  }, 60_000);
});
