import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isVigilError } from '../../src/errors/vigil-error.js';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import type { BatchConsumer, IncomingMessage, KafkaClient, MessageBatch, TopicPartition } from '../../src/kafka/kafka.types.js';
import {
  captureLogger,
  consumeWithKcat,
  createTopic,
  produceWithKcat,
  testBrokers,
  uniqueName,
  waitFor,
} from '../utils/kafka.js';

jest.setTimeout(60_000);

const { logger, records: logRecords } = captureLogger('info');
const client: KafkaClient = createKafkajsClient({ brokers: testBrokers(), clientId: 'vigil-test', logger });
const running: BatchConsumer[] = [];

/** Starts a consumer that records every message it is handed; stopped after each test. */
async function collecting(
  topic: string,
  groupId: string,
  onBatch: (batch: MessageBatch, consumer: BatchConsumer) => Promise<void> = async () => undefined,
  rebalance?: Parameters<KafkaClient['consumer']>[0]['rebalance'],
): Promise<{ consumer: BatchConsumer; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const consumer = client.consumer({ groupId, topics: [topic], ...(rebalance ? { rebalance } : {}) });
  running.push(consumer);
  await consumer.run(async (batch) => {
    await onBatch(batch, consumer);
    seen.push(...batch.messages);
  });
  return { consumer, seen };
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));
const lines = (prefix: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `${prefix}${from + i}` }));
const offsetsOf = (messages: readonly IncomingMessage[], partition = 0) =>
  messages.filter((m) => m.partition === partition).map((m) => m.offset);

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

describe('kafkajs BatchConsumer', () => {
  it('hands over records produced by kcat, with key, value, headers and timestamp', async () => {
    const topic = uniqueName('in');
    await createTopic(topic, 1);
    const before = Date.now();
    await produceWithKcat(topic, lines('v', 3), { headers: { source: 'kcat', trace: 'a1' } });
    const { seen } = await collecting(topic, uniqueName('g'));

    await waitFor(() => seen.length >= 3, 20_000, '3 records');
    expect(seen.map((m) => [m.offset, text(m.key), text(m.value)])).toEqual([
      ['0', 'k0', 'v0'],
      ['1', 'k1', 'v1'],
      ['2', 'k2', 'v2'],
    ]);
    expect(seen[0]).toMatchObject({ topic, partition: 0, headers: { source: 'kcat', trace: 'a1' } });
    expect(seen[0]!.timestamp).toBeGreaterThanOrEqual(before - 1000);
  });

  it('commits, and a new member of the same group resumes right after the commit', async () => {
    const topic = uniqueName('in');
    const groupId = uniqueName('g');
    await createTopic(topic, 1);
    await produceWithKcat(topic, lines('v', 10));

    // Commit only up to offset 4 (next = 5) although everything is processed.
    let committed = false;
    const first = await collecting(topic, groupId, async (batch, consumer) => {
      if (!committed && batch.messages.some((m) => m.offset === '4')) {
        committed = true;
        await consumer.commit([{ topic, partition: 0, offset: '5' }]);
      }
    });
    await waitFor(() => first.seen.length >= 10, 20_000, '10 records');
    await first.consumer.stop();

    const admin = await client.admin();
    try {
      expect(await admin.groupOffsets(groupId, [topic])).toEqual([{ topic, partition: 0, offset: '5' }]);
    } finally {
      await admin.close();
    }

    const second = await collecting(topic, groupId);
    await waitFor(() => second.seen.length >= 5, 20_000, '5 records after restart');
    await sleep(500); // nothing more may arrive
    expect(offsetsOf(second.seen)).toEqual(['5', '6', '7', '8', '9']);
  });

  it('awaits onAssigned before the first batch and calls onRevoked when stopping', async () => {
    const topic = uniqueName('in');
    await createTopic(topic, 1);
    await produceWithKcat(topic, lines('v', 3));
    const events: string[] = [];
    const name = (tps: readonly TopicPartition[]) => tps.map((tp) => `${tp.topic === topic ? 't' : tp.topic}/${tp.partition}`).join(',');

    const { consumer } = await collecting(
      topic,
      uniqueName('g'),
      async () => {
        events.push('batch');
      },
      {
        onAssigned: async (tps) => {
          events.push(`assigning ${name(tps)}`);
          await sleep(500);
          events.push('assigned');
        },
        onRevoked: (tps) => {
          events.push(`revoked ${name(tps)}`);
        },
      },
    );
    await waitFor(() => events.includes('batch'), 20_000, 'a batch');
    expect(consumer.assignment()).toEqual([{ topic, partition: 0 }]);
    await consumer.stop();

    expect(events[0]).toBe('assigning t/0');
    expect(events[1]).toBe('assigned');
    expect(events.slice(2, -1).every((e) => e === 'batch')).toBe(true);
    expect(events.at(-1)).toBe('revoked t/0');
    expect(consumer.assignment()).toEqual([]);
  });

  it('hands out no batch while onAssigned fails; the restarted consumer calls it again', async () => {
    const topic = uniqueName('in');
    await createTopic(topic, 1);
    await produceWithKcat(topic, lines('v', 2));
    const events: string[] = [];
    const { seen } = await collecting(
      topic,
      uniqueName('g'),
      async () => {
        events.push('batch');
      },
      {
        onAssigned: () => {
          events.push('onAssigned');
          if (events.length === 1) throw new Error('state not loadable yet');
        },
        onRevoked: () => void events.push('onRevoked'),
      },
    );

    await waitFor(() => seen.length >= 2, 40_000, 'records after the second onAssigned');
    expect(events.slice(0, 3)).toEqual(['onAssigned', 'onRevoked', 'onAssigned']);
    expect(events.indexOf('batch')).toBe(3);
    expect(offsetsOf(seen)).toEqual(['0', '1']);
  });

  it('on a rebalance, revokes only the moved partition and continues the kept one without redelivery', async () => {
    const topic = uniqueName('in');
    const groupId = uniqueName('g');
    await createTopic(topic, 2);
    await produceWithKcat(topic, lines('a', 2), { partition: 0 });
    await produceWithKcat(topic, lines('b', 2), { partition: 1 });

    const revokedFromA: TopicPartition[] = [];
    const a = await collecting(topic, groupId, async () => undefined, { onRevoked: (tps) => void revokedFromA.push(...tps) });
    await waitFor(() => a.seen.length >= 4, 20_000, 'member A to read both partitions');

    const assignedToB: TopicPartition[] = [];
    const b = await collecting(topic, groupId, async () => undefined, { onAssigned: (tps) => void assignedToB.push(...tps) });
    await waitFor(() => assignedToB.length > 0 && revokedFromA.length > 0, 30_000, 'the rebalance');

    expect(revokedFromA).toEqual(assignedToB);
    const moved = assignedToB[0]!.partition;
    const kept = 1 - moved;
    expect(a.consumer.assignment()).toEqual([{ topic, partition: kept }]);

    await produceWithKcat(topic, lines('late', 1, 2), { partition: kept });
    await produceWithKcat(topic, lines('late', 1, 2), { partition: moved });
    await waitFor(() => offsetsOf(a.seen, kept).length >= 3, 20_000, 'A to read the kept partition on');
    // Nothing was committed: the moved partition starts over at B (at-least-once) ...
    await waitFor(() => offsetsOf(b.seen, moved).length >= 3, 20_000, 'B to read the moved partition');
    expect(offsetsOf(b.seen, moved)).toEqual(['0', '1', '2']);
    // ... while A continues the kept one where it was, without reading it twice.
    expect(offsetsOf(a.seen, kept)).toEqual(['0', '1', '2']);
    expect(offsetsOf(b.seen, kept)).toEqual([]);
  });

  it('pause() holds back one partition until resume(), the other keeps flowing', async () => {
    const topic = uniqueName('in');
    await createTopic(topic, 2);
    await produceWithKcat(topic, lines('a', 1), { partition: 0 });
    await produceWithKcat(topic, lines('b', 1), { partition: 1 });
    const { consumer, seen } = await collecting(topic, uniqueName('g'));
    await waitFor(() => seen.length >= 2, 20_000, 'one record per partition');

    consumer.pause([{ topic, partition: 0 }]);
    await produceWithKcat(topic, lines('a', 3, 1), { partition: 0 });
    await produceWithKcat(topic, lines('b', 3, 1), { partition: 1 });
    await waitFor(() => offsetsOf(seen, 1).length >= 4, 20_000, 'partition 1 to flow');
    await sleep(1500);
    expect(offsetsOf(seen, 0)).toEqual(['0']);

    consumer.resume([{ topic, partition: 0 }]);
    await waitFor(() => offsetsOf(seen, 0).length >= 4, 20_000, 'partition 0 after resume');
    expect(offsetsOf(seen, 0)).toEqual(['0', '1', '2', '3']);
  });

  it('delivers a batch again from its first offset when the handler throws, and logs the failure', async () => {
    const topic = uniqueName('in');
    await createTopic(topic, 1);
    await produceWithKcat(topic, lines('v', 3));
    const firstOffsets: string[] = [];
    const { seen } = await collecting(topic, uniqueName('g'), async (batch) => {
      firstOffsets.push(batch.messages[0]!.offset);
      if (firstOffsets.length === 1) throw new Error('boom on purpose');
    });

    await waitFor(() => seen.length >= 3, 20_000, 'the redelivered batch');
    expect(firstOffsets.slice(0, 2)).toEqual(['0', '0']);
    expect(offsetsOf(seen)).toEqual(['0', '1', '2']);
    expect(logRecords.some((r) => r.msg.includes('batch handler failed') && r.level === 50)).toBe(true);
  });
});

describe('kafkajs Producer', () => {
  it('acknowledges concurrent sends with every record written exactly once', async () => {
    const topic = uniqueName('out');
    await createTopic(topic, 1);
    const producer = await client.producer();
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          producer.send([{ topic, key: `k${i}`, value: `v${i}`, headers: { n: String(i) } }]),
        ),
      );
    } finally {
      await producer.close();
    }
    const read = await consumeWithKcat(topic, { count: 100 });
    expect(read).toHaveLength(20);
    expect(new Set(read.map((r) => r.value)).size).toBe(20);
    expect(read.find((r) => r.value === 'v7')).toMatchObject({ key: 'k7', headers: { n: '7' } });
  });

  it('commits consumed offsets and output atomically; aborted output stays invisible to read_committed', async () => {
    const input = uniqueName('in');
    const output = uniqueName('out');
    const groupId = uniqueName('g');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await produceWithKcat(input, lines('v', 4));
    const producer = await client.producer({ transactionalId: uniqueName('tx') });
    try {
      const { seen } = await collecting(input, groupId, async (batch) => {
        const tx = await producer.transaction();
        await tx.send(batch.messages.map((m) => ({ topic: output, key: m.key, value: `out-${text(m.value)}` })));
        const last = batch.messages.at(-1)!;
        await tx.sendOffsets(groupId, [{ topic: input, partition: 0, offset: String(Number(last.offset) + 1) }]);
        await tx.commit();
      });
      await waitFor(() => seen.length >= 4, 20_000, '4 input records');

      const aborted = await producer.transaction();
      await aborted.send([{ topic: output, value: 'aborted-1' }, { topic: output, value: 'aborted-2' }]);
      await aborted.abort();
      await producer.send([{ topic: output, value: 'single' }]); // a one-shot transaction

      const admin = await client.admin();
      try {
        expect(await admin.groupOffsets(groupId, [input])).toEqual([{ topic: input, partition: 0, offset: '4' }]);
      } finally {
        await admin.close();
      }
      const committed = await consumeWithKcat(output, { count: 100, isolation: 'read_committed' });
      expect(committed.map((r) => r.value)).toEqual(['out-v0', 'out-v1', 'out-v2', 'out-v3', 'single']);
      const everything = await consumeWithKcat(output, { count: 100, isolation: 'read_uncommitted' });
      expect(everything.map((r) => r.value)).toEqual(expect.arrayContaining(['aborted-1', 'aborted-2']));
    } finally {
      await Promise.all(running.splice(0).map((c) => c.stop()));
      await producer.close();
    }
  });

  it('hides every record of overlapping aborted transactions, aborted in another order than begun', async () => {
    // Two producers' transactions interleave on one partition, as detect's per-partition producers
    // do on a findings partition when a crashed process is fenced. The broker lists aborted
    // transactions in ABORT order; kafkajs (unpatched) assumed first-offset order and let the
    // records of the earlier-begun, later-aborted transaction through.
    const topic = uniqueName('aborts');
    const groupId = uniqueName('g');
    await createTopic(topic, 1);
    const first = await client.producer({ transactionalId: uniqueName('tx-first') });
    const second = await client.producer({ transactionalId: uniqueName('tx-second') });
    try {
      const begunFirst = await first.transaction();
      await begunFirst.send([{ topic, partition: 0, value: 'first-1' }]);
      const begunSecond = await second.transaction();
      await begunSecond.send([{ topic, partition: 0, value: 'second-1' }]);
      await begunSecond.abort();
      await begunFirst.send([{ topic, partition: 0, value: 'first-2' }]);
      await begunFirst.abort();
      await first.send([{ topic, partition: 0, value: 'committed' }]);

      const { seen } = await collecting(topic, groupId);
      await waitFor(() => seen.some((m) => text(m.value) === 'committed'), 20_000, 'the committed record');
      expect(seen.map((m) => text(m.value))).toEqual(['committed']);
      const everything = await consumeWithKcat(topic, { count: 100, isolation: 'read_uncommitted' });
      expect(everything.map((r) => r.value)).toEqual(['first-1', 'second-1', 'first-2', 'committed']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('a new producer of a transactional id fences the previous one as it is created, before its first transaction', async () => {
    // Detect creates a partition's producer, then restores the partition's state from the
    // changelog, and only then begins a transaction. The restore is right only if creating the
    // producer already settled the previous owner's transaction (a commit the coordinator had
    // accepted completed, anything else aborted) and fenced that owner: kafkajs' connect() takes
    // a producer id WITHOUT the transactional id and fences nobody until transaction().
    const topic = uniqueName('fenced');
    await createTopic(topic, 1);
    const transactionalId = uniqueName('tx-fence');
    const previous = await client.producer({ transactionalId });
    let next: Awaited<ReturnType<KafkaClient['producer']>> | undefined;
    try {
      const open = await previous.transaction();
      await open.send([{ topic, partition: 0, value: 'previous owner' }]);
      next = await client.producer({ transactionalId });
      await expect(open.commit()).rejects.toMatchObject({ code: 'VIGIL_KAFKA' });
      await next.send([{ topic, partition: 0, value: 'next owner' }]);
      const committed = await consumeWithKcat(topic, { count: 100, isolation: 'read_committed' });
      expect(committed.map((r) => r.value)).toEqual(['next owner']);
    } finally {
      await previous.close().catch(() => undefined);
      await next?.close();
    }
  });

  it('sends more than the broker takes in one record batch to one partition, in one transaction', async () => {
    // 1,500 records of 1.2 KB for one partition: ~1.8 MB, over message.max.bytes (1 MiB), as
    // detect's changelog records of a large batch are.
    const topic = uniqueName('big');
    await createTopic(topic, 1);
    const producer = await client.producer({ transactionalId: uniqueName('tx-big') });
    try {
      const tx = await producer.transaction();
      await tx.send(Array.from({ length: 1_500 }, (_, i) => ({ topic, partition: 0, key: `k${i}`, value: `${i}:${'x'.repeat(1_200)}` })));
      await tx.commit();
      const committed = await consumeWithKcat(topic, { count: 1_500, isolation: 'read_committed' });
      expect(committed.map((r) => Number(r.value!.split(':')[0]))).toEqual(Array.from({ length: 1_500 }, (_, i) => i));
    } finally {
      await producer.close();
    }
  });

  it('refuses transaction() without a transactionalId', async () => {
    const producer = await client.producer();
    try {
      await expect(producer.transaction()).rejects.toMatchObject({ code: 'VIGIL_KAFKA', retryable: false });
    } finally {
      await producer.close();
    }
  });
});

describe('kafkajs KafkaAdmin', () => {
  it('creates missing topics only, and reports high watermarks and group offsets', async () => {
    const existing = uniqueName('t');
    const fresh = uniqueName('t');
    await createTopic(existing, 2);
    const admin = await client.admin();
    try {
      await admin.ping();
      await admin.ensureTopics([
        { topic: existing, partitions: 5 },
        { topic: fresh, partitions: 3, config: { 'cleanup.policy': 'compact' } },
      ]);
      await admin.ensureTopics([{ topic: fresh, partitions: 3 }]); // idempotent
      expect((await admin.topicOffsets(existing)).map((o) => o.partition)).toEqual([0, 1]);

      await produceWithKcat(fresh, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], { partition: 2 });
      expect(await admin.topicOffsets(fresh)).toEqual([
        { topic: fresh, partition: 0, offset: '0' },
        { topic: fresh, partition: 1, offset: '0' },
        { topic: fresh, partition: 2, offset: '2' },
      ]);
      expect(await admin.groupOffsets(uniqueName('nobody'), [fresh])).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('maps an unreachable cluster to a retryable VIGIL_KAFKA error', async () => {
    const unreachable = createKafkajsClient({ brokers: ['127.0.0.1:1'], clientId: 'vigil-test', retries: 1 });
    const error: unknown = await unreachable.admin().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVigilError(error, 'VIGIL_KAFKA')).toBe(true);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('connect admin') });
  });
});

describe('kafkajs readToEnd', () => {
  it('with `last`, reads only the last messages of each partition, and nothing of an empty one', async () => {
    const topic = uniqueName('t');
    await createTopic(topic, 3);
    await produceWithKcat(topic, lines('a', 50), { partition: 0 });
    await produceWithKcat(topic, lines('b', 3), { partition: 1 });
    const read: { partition: number; offset: string; value: string | null }[] = [];
    const result = await client.readToEnd(topic, [0, 1, 2], (partition, messages) => {
      for (const m of messages) read.push({ partition, offset: m.offset, value: text(m.value) });
    }, { last: 2 });
    expect(result.messages).toBe(4);
    expect(read.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))).toEqual([
      { partition: 0, offset: '48', value: 'a48' },
      { partition: 0, offset: '49', value: 'a49' },
      { partition: 1, offset: '1', value: 'b1' },
      { partition: 1, offset: '2', value: 'b2' },
    ]);
  });
});
