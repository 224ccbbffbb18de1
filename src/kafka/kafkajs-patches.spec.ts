import { createRequire } from 'node:module';

/**
 * patches/kafkajs+2.2.4.patch changes kafkajs internals (applied by patch-package on install).
 * These pin the behaviour the patch must keep or fix; the broker tests cover them end to end.
 */
const require = createRequire(import.meta.url);

interface EncoderInstance {
  writeVarInt(value: number): EncoderInstance;
  writeUVarInt(value: number): EncoderInstance;
  readonly buffer: Buffer;
}
const Encoder = require('kafkajs/src/protocol/encoder') as new (size?: number) => EncoderInstance;
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: Record<string, unknown>) => EncoderInstance;
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (input: {
  messages: { offset: string; key: Buffer | null; batchContext: { producerId: string; inTransaction: boolean } }[];
  abortedTransactions: { producerId: string; firstOffset: string }[];
}) => { offset: string }[];
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (input: {
  topic: string;
  partitionMetadata: unknown[];
  messages: { value: string; partition: number }[];
  partitioner: (args: { message: { partition: number } }) => number;
}) => Record<string, { value: string }[]>;

interface EosManager {
  initProducerId(): Promise<void>;
  beginTransaction(): Promise<void>;
  addPartitionsToTransaction(topicData: { topic: string; partitions: { partition: number }[] }[]): Promise<void>;
  commit(): Promise<void>;
}
const createEosManager = require('kafkajs/src/producer/eosManager') as (options: Record<string, unknown>) => EosManager;

/** A cluster with one broker whose transaction requests succeed, except those `failing` names once each. */
function fakeCluster(failing: string[] = []) {
  const calls: string[] = [];
  const answer = (name: string, result: unknown = {}) => async () => {
    calls.push(name);
    const at = failing.indexOf(name);
    if (at >= 0) {
      failing.splice(at, 1);
      throw Object.assign(new Error(`${name} failed`), { name: 'KafkaJSConnectionError' });
    }
    return result;
  };
  const broker = {
    initProducerId: answer('InitProducerId', { producerId: 7, producerEpoch: 0 }),
    addPartitionsToTxn: answer('AddPartitionsToTxn'),
    endTxn: answer('EndTxn'),
  };
  const cluster = {
    retry: { retries: 0 },
    refreshMetadataIfNecessary: async () => undefined,
    findGroupCoordinator: async () => {
      calls.push('FindCoordinator');
      return broker;
    },
  };
  return { cluster, calls };
}

const noLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const logger = { ...noLog, namespace: () => noLog };

async function transaction(eos: EosManager, partition: number): Promise<void> {
  await eos.beginTransaction();
  await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition }] }]);
  await eos.commit();
}

describe('kafkajs patches', () => {
  it('encodes varints as LEB128 of the zig-zag value, in place', () => {
    const bytes = (write: (e: EncoderInstance) => EncoderInstance) => [...write(new Encoder()).buffer];
    expect(bytes((e) => e.writeVarInt(0))).toEqual([0x00]);
    expect(bytes((e) => e.writeVarInt(-1))).toEqual([0x01]);
    expect(bytes((e) => e.writeVarInt(300))).toEqual([0xd8, 0x04]);
    expect(bytes((e) => e.writeUVarInt(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    // Many in a row: the encoder grows past its initial size without losing bytes.
    const many = new Encoder(1);
    for (let i = 0; i < 1_000; i++) many.writeVarInt(300);
    expect(many.buffer.length).toBe(2_000);
    expect(many.buffer.subarray(1_998)).toEqual(Buffer.from([0xd8, 0x04]));
  });

  it('encodes a record of any size whole: length prefix, then exactly that many bytes', () => {
    for (const size of [0, 10, 600, 5_000]) {
      const record = Record({ offsetDelta: 3, timestampDelta: 5, key: 'k', value: 'v'.repeat(size), headers: { h: 'x' } }).buffer;
      let length = 0;
      let shift = 0;
      let at = 0;
      for (;;) {
        const byte = record[at++]!;
        length |= (byte & 0x7f) << shift;
        shift += 7;
        if ((byte & 0x80) === 0) break;
      }
      expect(at + (length >>> 1)).toBe(record.length);
      // The body ends with the value, whole, then one header: count 1, 'h' and 'x' (varint lengths, zig-zag).
      const tail = [0x02, 0x02, 0x68, 0x02, 0x78];
      expect([...record.subarray(record.length - tail.length)]).toEqual(tail);
      expect(record.subarray(record.length - tail.length - size, record.length - tail.length)).toEqual(Buffer.from('v'.repeat(size)));
    }
  });

  it('drops the records of aborted transactions listed in abort order, not first-offset order', () => {
    const abortMarker = Buffer.from([0, 0, 0, 0]);
    const m = (offset: number, producerId: string, key: Buffer | null = null) => ({ offset: String(offset), key, batchContext: { producerId, inTransaction: true } });
    const messages = [m(0, 'B'), m(1, 'B'), m(2, 'A'), m(3, 'B'), m(4, 'A'), m(5, 'A', abortMarker), m(6, 'B', abortMarker)];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: 'A', firstOffset: '2' }, { producerId: 'B', firstOffset: '0' }] });
    expect(kept.map((k) => k.offset)).toEqual(['5', '6']);
  });

  it('groups a send per partition in order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 3 }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata: [{}], messages, partitioner: ({ message }) => message.partition });
    expect(Object.fromEntries(Object.entries(grouped).map(([p, ms]) => [p, ms.map((x) => x.value)]))).toEqual({
      0: ['m0', 'm3', 'm6', 'm9'],
      1: ['m1', 'm4', 'm7'],
      2: ['m2', 'm5', 'm8'],
    });
  });

  it('finds the transaction coordinator once, not before every transactional request', async () => {
    const { cluster, calls } = fakeCluster();
    const eos = createEosManager({ logger, cluster, transactional: true, transactionalId: 'tx' });
    await eos.initProducerId();
    await transaction(eos, 0);
    await transaction(eos, 1);
    expect(calls).toEqual(['FindCoordinator', 'InitProducerId', 'AddPartitionsToTxn', 'EndTxn', 'AddPartitionsToTxn', 'EndTxn']);
  });

  it('looks the coordinator up again after a request to it failed, and at every producer id', async () => {
    const { cluster, calls } = fakeCluster(['AddPartitionsToTxn']);
    const eos = createEosManager({ logger, cluster, transactional: true, transactionalId: 'tx' });
    await eos.initProducerId();
    await eos.beginTransaction();
    const partitions = [{ topic: 't', partitions: [{ partition: 0 }] }];
    await expect(eos.addPartitionsToTransaction(partitions)).rejects.toThrow('AddPartitionsToTxn failed');
    await eos.addPartitionsToTransaction(partitions);
    await eos.commit();
    await eos.initProducerId();
    await transaction(eos, 0);
    expect(calls).toEqual([
      ...['FindCoordinator', 'InitProducerId', 'AddPartitionsToTxn'],
      // The retry asks where the coordinator is now; so does a new producer id.
      ...['FindCoordinator', 'AddPartitionsToTxn', 'EndTxn', 'FindCoordinator', 'InitProducerId', 'AddPartitionsToTxn', 'EndTxn'],
    ]);
  });
});

type SendMessages = (options: Record<string, unknown>) => (request: { acks: number; topicMessages: { topic: string; messages: { value: string; partition: number }[] }[] }) => Promise<unknown[]>;
const createSendMessages = require('kafkajs/src/producer/sendMessages') as SendMessages;
const createRetry = require('kafkajs/src/retry') as (options: Record<string, unknown>) => unknown;

interface Produced {
  readonly node: number;
  readonly partition: number;
  readonly firstSequence: number;
  readonly values: string[];
}

/**
 * Two nodes leading one partition each of topic `t`. The first produce to node 2 fails (after
 * node 1's has been sent, which answers only later); then partition 0's leadership moves to node 2
 * and every Broker object is replaced, as after kafkajs drops a broker whose connection closed.
 */
function failoverCluster() {
  const produced: Produced[] = [];
  let attempt = 0;
  let leaders: Record<number, number> = { 0: 1, 1: 2 };
  const broker = (node: number, generation: number) => ({
    nodeId: node,
    generation,
    produce: async ({ topicData }: { topicData: { topic: string; partitions: { partition: string; firstSequence: number; messages: { value: string }[] }[] }[] }) => {
      const first = attempt++ === 1 && node === 2;
      if (node === 1) await new Promise((resolve) => setTimeout(resolve, 20));
      if (first) throw Object.assign(new Error('Closed connection'), { name: 'KafkaJSConnectionClosedError', host: 'h', port: node });
      for (const { partition, firstSequence, messages } of topicData[0]!.partitions) {
        produced.push({ node, partition: Number(partition), firstSequence, values: messages.map((m) => m.value) });
      }
      if (node === 1) leaders = { 0: 2, 1: 2 };
      return { topics: [{ topicName: 't', partitions: topicData[0]!.partitions.map((p) => ({ partition: Number(p.partition), errorCode: 0 })) }] };
    },
  });
  let generation = 0;
  const cluster = {
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => void generation++,
    findTopicPartitionMetadata: () => [{ partitionId: 0 }, { partitionId: 1 }],
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const byLeader: Record<number, string[]> = {};
      for (const partition of partitions) (byLeader[leaders[Number(partition)]!] ??= []).push(partition);
      return byLeader;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => broker(Number(nodeId), generation),
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
  };
  const sequences = new Map<string, number>();
  const eosManager = {
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    isTransactional: () => false,
    getSequence: (topic: string, partition: string) => sequences.get(`${topic}/${partition}`) ?? 0,
    updateSequence: (topic: string, partition: string, increment: number) => sequences.set(`${topic}/${partition}`, (sequences.get(`${topic}/${partition}`) ?? 0) + increment),
    getTransactionalId: () => undefined,
    getProducerId: () => 7,
    getProducerEpoch: () => 0,
  };
  return { cluster, eosManager, produced };
}

/**
 * One node leading both partitions of topics `t` and `u`. In the first attempt the lookup of the
 * node for `u` fails (its connection was refused, as while a broker restarts), after `t`'s lookup
 * gave a Broker object; the retry finds the node again as a new object.
 */
function restartingBroker() {
  const produced: (Produced & { topic: string })[] = [];
  let generation = 0;
  let lookups = 0;
  const objects = new Map<number, object>();
  const brokerOf = (gen: number) => {
    if (!objects.has(gen)) {
      objects.set(gen, {
        nodeId: 1,
        produce: async ({ topicData }: { topicData: { topic: string; partitions: { partition: string; firstSequence: number; messages: { value: string }[] }[] }[] }) => {
          for (const { topic, partitions } of topicData) {
            for (const { partition, firstSequence, messages } of partitions) produced.push({ node: 1, topic, partition: Number(partition), firstSequence, values: messages.map((m) => m.value) });
          }
          return { topics: topicData.map(({ topic, partitions }) => ({ topicName: topic, partitions: partitions.map((p) => ({ partition: Number(p.partition), errorCode: 0 })) })) };
        },
      });
    }
    return objects.get(gen)!;
  };
  const cluster = {
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => void generation++,
    findTopicPartitionMetadata: () => [{ partitionId: 0 }, { partitionId: 1 }],
    findLeaderForPartitions: (_topic: string, partitions: string[]) => ({ 1: partitions }),
    findBroker: async () => {
      if (++lookups === 2) throw Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
      return brokerOf(generation);
    },
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
  };
  return { cluster, eosManager: failoverCluster().eosManager, produced };
}

describe('kafkajs patches: a send retried after a partial failure', () => {
  it('sends again only the partitions not written yet, with their own sequence numbers, even when leaders and Broker objects change', async () => {
    const { cluster, eosManager, produced } = failoverCluster();
    const retrier = createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 10 });
    const send = createSendMessages({ logger, cluster, partitioner: ({ message }: { message: { partition: number } }) => message.partition, eosManager, retrier });
    const messages = Array.from({ length: 6 }, (_, i) => ({ value: `m${i}`, partition: i % 2 }));

    const responses = await send({ acks: -1, topicMessages: [{ topic: 't', messages }] });

    // Upstream sent partition 0 a second time (to its new leader, as sequence 3): stored twice.
    expect(produced.sort((a, b) => a.partition - b.partition)).toEqual([
      { node: 1, partition: 0, firstSequence: 0, values: ['m0', 'm2', 'm4'] },
      { node: 2, partition: 1, firstSequence: 0, values: ['m1', 'm3', 'm5'] },
    ]);
    expect(responses).toHaveLength(2);
  });

  it('sends each partition once when the retry finds its broker as a new object after a failed lookup (one broker restarting)', async () => {
    const { cluster, eosManager, produced } = restartingBroker();
    const retrier = createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 10 });
    const send = createSendMessages({ logger, cluster, partitioner: ({ message }: { message: { partition: number } }) => message.partition, eosManager, retrier });
    const messages = (prefix: string) => Array.from({ length: 4 }, (_, i) => ({ value: `${prefix}${i}`, partition: i % 2 }));

    await send({ acks: -1, topicMessages: [{ topic: 't', messages: messages('t') }, { topic: 'u', messages: messages('u') }] });

    // Upstream kept the first attempt's Broker object, with no answer, beside the new one, and sent
    // everything to both: every record stored twice, the second copy with the next sequence numbers.
    expect(produced.map(({ topic, partition, firstSequence }) => `${topic}-${partition}@${firstSequence}`).sort()).toEqual(['t-0@0', 't-1@0', 'u-0@0', 'u-1@0']);
  });
});
