import { createRequire } from 'node:module';
import fc from 'fast-check';

/**
 * patches/kafkajs+2.2.4.patch encodes produce requests its own way (one encoder for the request,
 * uncompressed record batches written in place by recordBatch/v0/writeRecords.js, a slicing-by-8
 * CRC32-C). The broker must get the same bytes as from upstream kafkajs: these compare the patched
 * request with one built the upstream way, from kafkajs' per-record pieces (Record, RecordBatch),
 * which the patch keeps for compressed batches.
 */
const require = createRequire(import.meta.url);

interface EncoderInstance {
  writeInt16(value: number): EncoderInstance;
  writeInt32(value: number): EncoderInstance;
  writeString(value: string | null): EncoderInstance;
  writeEncoder(value: EncoderInstance): EncoderInstance;
  writeArray(value: EncoderInstance[]): EncoderInstance;
  size(): number;
  readonly buffer: Buffer;
}
type Bytes = string | Buffer | null | undefined;
interface Message {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, string | Buffer | (string | Buffer)[]>;
  timestamp?: string;
}
interface PartitionData {
  partition: number;
  firstSequence: number;
  messages: Message[];
}
interface TopicData {
  topic: string;
  partitions: PartitionData[];
}
interface Long {
  readonly value: bigint;
}
interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string;
  producerId: Long;
  producerEpoch: number;
  compression: number;
  topicData: TopicData[];
}

const Encoder = require('kafkajs/src/protocol/encoder') as new (size?: number) => EncoderInstance;
const LongClass = require('kafkajs/src/utils/long') as { fromNumber(value: number): Long };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: Record<string, unknown>) => EncoderInstance;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: Record<string, unknown>) => Promise<EncoderInstance> };
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer, start?: number, end?: number) => number;
const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as (args: ProduceArgs) => { encode(): Promise<EncoderInstance> };
const createRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: { apiKey: number; apiVersion: number; encode(): Promise<EncoderInstance> };
}) => Promise<EncoderInstance>;
const { Types: Compression } = require('kafkajs/src/protocol/message/compression') as { Types: { None: number; GZIP: number } };

/** Upstream kafkajs 2.2.4's produce request v3–v7 body: an encoder per record, partition and topic. */
async function upstreamProduceBody({ acks, timeout, transactionalId, producerId, producerEpoch, compression, topicData }: ProduceArgs): Promise<Buffer> {
  const topics: EncoderInstance[] = [];
  for (const { topic, partitions } of topicData) {
    const encodedPartitions: EncoderInstance[] = [];
    for (const { partition, messages, firstSequence } of partitions) {
      const dateNow = Date.now();
      const messageTimestamps = messages
        .map((m) => m.timestamp)
        .filter((t) => t != null)
        .sort();
      const timestamps = messageTimestamps.length === 0 ? [dateNow] : messageTimestamps;
      const firstTimestamp = timestamps[0]!;
      const records = messages.map((message, i) =>
        Record({ ...message, offsetDelta: i, timestampDelta: Number(message.timestamp || dateNow) - Number(firstTimestamp) }),
      );
      const recordBatch = await RecordBatch({
        compression, records, firstTimestamp, maxTimestamp: timestamps.at(-1), producerId, producerEpoch, firstSequence, transactional: !!transactionalId, lastOffsetDelta: records.length - 1,
      });
      encodedPartitions.push(new Encoder().writeInt32(partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch));
    }
    topics.push(new Encoder().writeString(topic).writeArray(encodedPartitions));
  }
  return new Encoder()
    .writeString(transactionalId ?? null)
    .writeInt16(acks)
    .writeInt32(timeout)
    .writeArray(topics).buffer;
}

/** Both encodings of one request, with the clock stopped (a batch without timestamps takes Date.now()). */
async function bothEncodings(args: ProduceArgs): Promise<[Buffer, Buffer]> {
  const realNow = Date.now;
  Date.now = () => 1_765_000_000_123;
  try {
    return [await upstreamProduceBody(args), (await produceV7(args).encode()).buffer];
  } finally {
    Date.now = realNow;
  }
}

function request(topicData: TopicData[], overrides: Partial<ProduceArgs> = {}): ProduceArgs {
  return { acks: -1, timeout: 30_000, transactionalId: 'tx-1', producerId: LongClass.fromNumber(4711), producerEpoch: 3, compression: Compression.None, topicData, ...overrides };
}

const one = (messages: Message[], partition = 0): TopicData[] => [{ topic: 'changelog', partitions: [{ partition, firstSequence: 17, messages }] }];

/** CRC32-C bit by bit from its reflected polynomial: independent of the table-driven code. */
function bitwiseCrc32C(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const bytes = (maxLength: number): fc.Arbitrary<Bytes> =>
  fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    // One to four UTF-8 bytes per character, a lone surrogate, mostly ASCII.
    fc.string({ unit: fc.constantFrom('a', 'a', 'a', '\u0000', 'é', 'ÿ', '€', '😀', '\ud800'), maxLength }),
    fc.uint8Array({ maxLength }).map((a) => Buffer.from(a)),
  );
const headerValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)));
const message: fc.Arbitrary<Message> = fc.record(
  {
    key: bytes(80),
    value: fc.oneof(bytes(300), bytes(3_000)),
    headers: fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: 3 }),
    // Integer strings, as kafkajs takes them; sorted as strings upstream, so deltas can be negative.
    timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.maxSafeInteger().map((t) => t / 8), fc.constant(1_765_000_000_000)).map((t) => String(Math.floor(t))),
  },
  { requiredKeys: ['value'] },
);
const topicData: fc.Arbitrary<TopicData[]> = fc.array(
  fc.record({
    topic: fc.string({ minLength: 1, maxLength: 20 }),
    partitions: fc.array(fc.record({ partition: fc.nat(100), firstSequence: fc.nat(), messages: fc.array(message, { maxLength: 30 }) }), { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 2 },
);

describe('kafkajs produce request encoding (patched)', () => {
  it('computes CRC32-C: the check value, and every length and offset as bit by bit', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 1 + (end % 5)) {
        expect(crc32C(data, start, end)).toBe(bitwiseCrc32C(data.subarray(start, end)));
      }
    }
  });

  it('encodes the bytes upstream does for detect-like batches: keys, tombstones, findings, many records', async () => {
    const changelog: Message[] = Array.from({ length: 1_500 }, (_, i) => ({
      key: `e\u0000card:${1_000_000 + i}`,
      value: i % 13 === 0 ? null : Buffer.alloc(100 + (i % 150), i),
    }));
    const findings: Message[] = Array.from({ length: 40 }, (_, i) => ({ key: `card:${i}`, value: JSON.stringify({ i, reason: 'é'.repeat(500) }) }));
    const topics: TopicData[] = [
      { topic: 'finance.changelog', partitions: [{ partition: 2, firstSequence: 1_000, messages: changelog }] },
      { topic: 'finance.findings', partitions: [0, 1, 5].map((partition) => ({ partition, firstSequence: 9, messages: findings.slice(partition * 5, partition * 5 + 10) })) },
    ];
    const [upstream, patched] = await bothEncodings(request(topics));
    expect(patched.equals(upstream)).toBe(true);
    const [nonTransactional, patchedNonTransactional] = await bothEncodings(request(topics, { transactionalId: undefined, producerId: LongClass.fromNumber(-1), producerEpoch: 0 }));
    expect(patchedNonTransactional.equals(nonTransactional)).toBe(true);
  });

  it('encodes the bytes upstream does for headers, timestamps, large and empty values', async () => {
    const messages: Message[] = [
      { key: null, value: Buffer.alloc(200_000, 7), headers: { 'vigil-source': 'in/3/42', many: ['a', Buffer.from('b'), 'ü'] } },
      { key: 'k'.repeat(64), value: 'v'.repeat(70_000), timestamp: '1765000000000' },
      { key: 'k'.repeat(65), value: '', timestamp: '999' },
      { key: 'ключ', value: Buffer.alloc(0), headers: {}, timestamp: String(Number.MAX_SAFE_INTEGER) },
      { key: 'café', value: 'naïve', timestamp: '-5' },
      { value: null },
    ];
    const [upstream, patched] = await bothEncodings(request(one(messages)));
    expect(patched.equals(upstream)).toBe(true);
    const [emptyUpstream, emptyPatched] = await bothEncodings(request(one([])));
    expect(emptyPatched.equals(emptyUpstream)).toBe(true);
  });

  it('encodes the bytes upstream does for any messages, uncompressed or compressed', async () => {
    await fc.assert(
      fc.asyncProperty(topicData, fc.constantFrom(Compression.None, Compression.GZIP), fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), async (topics, compression, transactionalId) => {
        const [upstream, patched] = await bothEncodings(request(topics, { compression, transactionalId }));
        expect(patched.equals(upstream)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('leaves messages it does not write itself to upstream, errors included', async () => {
    const nullHeader = one([{ key: 'k', value: 'v', headers: { h: null as unknown as string } }]);
    const failure = (encode: () => Promise<unknown>) => encode().then(() => 'encoded', (error: Error) => error.message);
    const upstream = await failure(() => upstreamProduceBody(request(nullHeader)));
    expect(upstream).toContain('Received null');
    expect(await failure(() => produceV7(request(nullHeader)).encode())).toBe(upstream);
  });

  it('frames the request: size, api key and version, correlation id, client id, then the body', async () => {
    const encode = async () => new Encoder().writeString('body');
    const framed = (await createRequest({ correlationId: 42, clientId: 'vigil', request: { apiKey: 0, apiVersion: 7, encode } })).buffer;
    const header = new Encoder().writeInt16(0).writeInt16(7).writeInt32(42).writeString('vigil').writeEncoder(await encode());
    expect(framed.equals(new Encoder().writeInt32(header.size()).writeEncoder(header).buffer)).toBe(true);
  });
});
