import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { KafkajsBatchConsumer } from './kafkajs.consumer.js';
import type { MessageBatch } from './kafka.types.js';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' } as const;

/** Just enough of a kafkajs consumer to hand out batches and crash on demand. */
class FakeConsumer {
  readonly events = EVENTS;
  readonly emitter = new EventEmitter();
  eachBatch: ((payload: unknown) => Promise<void>) | undefined;
  disconnected = false;

  on(event: string, listener: (event: unknown) => void): void {
    this.emitter.on(event, listener);
  }
  connect = async (): Promise<void> => undefined;
  subscribe = async (): Promise<void> => undefined;
  run = async (config: { eachBatch: (payload: unknown) => Promise<void> }): Promise<void> => {
    this.eachBatch = config.eachBatch;
  };
  disconnect = async (): Promise<void> => {
    this.disconnected = true;
  };
  pause = (): void => undefined;
  resume = (): void => undefined;
  seek = (): void => undefined;

  /** A group join assigning partition 0 of `topic`, then one batch of `count` messages from `first`. */
  async deliver(topic: string, first: number, count: number): Promise<void> {
    this.emitter.emit(EVENTS.GROUP_JOIN, { payload: { memberAssignment: { [topic]: [0] } } });
    const messages = Array.from({ length: count }, (_, i) => ({ offset: String(first + i), key: null, value: Buffer.from('{}'), headers: {}, timestamp: '0' }));
    await this.eachBatch!({
      batch: { topic, partition: 0, messages, highWatermark: String(first + count), lastOffset: () => String(first + count - 1) },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isStale: () => false,
    });
  }

  /** What kafkajs emits after it gave up on a consumer (it disconnected it first). */
  crash(error: Error, restart: boolean): void {
    this.disconnected = true;
    this.emitter.emit(EVENTS.CRASH, { payload: { error, restart } });
  }
}

function fakeKafka(): { kafka: Kafka; consumers: FakeConsumer[] } {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
  return { kafka, consumers };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('KafkajsBatchConsumer after a crash kafkajs does not restart from', () => {
  it('replaces the kafkajs consumer, and batches reach the handler again', async () => {
    const { kafka, consumers } = fakeKafka();
    const consumer = new KafkajsBatchConsumer(kafka, { groupId: 'g', topics: ['t'] });
    const handled: string[] = [];
    await consumer.run(async (batch: MessageBatch) => {
      handled.push(`${batch.messages[0]!.offset}-${batch.messages.at(-1)!.offset}`);
    });
    await consumers[0]!.deliver('t', 0, 3);
    consumers[0]!.crash(new TypeError("Cannot read properties of null (reading 'brokers')"), false);
    await until(() => consumers.length === 2 && consumers[1]!.eachBatch !== undefined);
    await consumers[1]!.deliver('t', 3, 2);
    expect(handled).toEqual(['0-2', '3-4']);
    await consumer.stop();
    expect(consumers[1]!.disconnected).toBe(true);
  });

  it('leaves a crash kafkajs restarts itself to kafkajs', async () => {
    const { kafka, consumers } = fakeKafka();
    const consumer = new KafkajsBatchConsumer(kafka, { groupId: 'g', topics: ['t'] });
    await consumer.run(async () => undefined);
    consumers[0]!.crash(new Error('connection refused'), true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(consumers).toHaveLength(1);
    await consumer.stop();
  });

  it('starts no replacement once stopping', async () => {
    const { kafka, consumers } = fakeKafka();
    const consumer = new KafkajsBatchConsumer(kafka, { groupId: 'g', topics: ['t'] });
    await consumer.run(async () => undefined);
    consumers[0]!.crash(new TypeError('boom'), false);
    await consumer.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(consumers).toHaveLength(1);
  });

  it('fails run() when the first consumer crashes for good while starting', async () => {
    const { kafka, consumers } = fakeKafka();
    const kafkaThatCrashes = {
      consumer: () => {
        const created = (kafka.consumer as unknown as () => FakeConsumer)();
        created.run = async () => created.crash(new TypeError('boom'), false);
        return created;
      },
    } as unknown as Kafka;
    const consumer = new KafkajsBatchConsumer(kafkaThatCrashes, { groupId: 'g', topics: ['t'] });
    await expect(consumer.run(async () => undefined)).rejects.toThrow('failed to start: boom');
    expect(consumers).toHaveLength(1);
  });
});
