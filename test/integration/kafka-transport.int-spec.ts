import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { Controller, Inject, Module, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KafkaBatchContext, KafkaBatchTransport, type KafkaBatchTransportOptions } from '../../src/kafka/kafka-batch.transport.js';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import type { BatchConsumer, KafkaAdmin, MessageBatch, TopicPartitionOffset } from '../../src/kafka/kafka.types.js';
import { createTopic, produceWithKcat, testBrokers, uniqueName, waitFor } from '../utils/kafka.js';

jest.setTimeout(60_000);

const PATTERN = 'test.events';
const BEHAVIOUR = Symbol('behaviour');
type Behaviour = (batch: MessageBatch, context: KafkaBatchContext) => Promise<void>;

@Controller()
class EventsController {
  constructor(@Inject(BEHAVIOUR) private readonly behaviour: Behaviour) {}

  // The explicit <string> picks the untyped overload: the typed one (Nest 12) wants `...args: unknown[]`.
  @EventPattern<string>(PATTERN)
  async handle(@Payload() batch: MessageBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
    await this.behaviour(batch, context);
  }
}

@Module({ controllers: [EventsController] })
class EventsModule {
  static with(behaviour: Behaviour): DynamicModule {
    return { module: EventsModule, providers: [{ provide: BEHAVIOUR, useValue: behaviour }] };
  }
}

const client = createKafkajsClient({ brokers: testBrokers(), clientId: 'vigil-transport-test' });
const apps: INestMicroservice[] = [];
let admin: KafkaAdmin | undefined;

async function groupOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
  admin ??= await client.admin();
  return admin.groupOffsets(groupId, [topic]);
}

async function startApp(
  behaviour: Behaviour,
  options: Partial<KafkaBatchTransportOptions> & { topic: string; groupId: string },
): Promise<{ app: INestMicroservice; strategy: KafkaBatchTransport }> {
  const strategy = new KafkaBatchTransport({
    client,
    consumer: { groupId: options.groupId, topics: [options.topic] },
    pattern: options.pattern ?? PATTERN,
    commit: options.commit ?? 'after-handler',
  });
  const app = await NestFactory.createMicroservice(EventsModule.with(behaviour), { strategy, logger: false });
  apps.push(app);
  await app.listen();
  return { app, strategy };
}

async function freshTopic(records: number): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueName('events');
  await createTopic(topic, 1);
  await produceWithKcat(
    topic,
    Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  );
  return { topic, groupId: uniqueName('g') };
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(async () => {
  await admin?.close();
});

describe('KafkaBatchTransport', () => {
  it("commits last offset + 1 after the handler resolved ('after-handler'), not before", async () => {
    const { topic, groupId } = await freshTopic(3);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches: MessageBatch[] = [];
    await startApp(
      async (batch) => {
        batches.push(batch);
        await gate;
      },
      { topic, groupId },
    );

    await waitFor(() => batches.length === 1, 20_000, 'the handler to be called');
    expect(batches[0]!.messages.map((m) => m.offset)).toEqual(['0', '1', '2']);
    await sleep(500);
    expect(await groupOffsets(groupId, topic)).toEqual([]);

    release();
    await waitFor(async () => (await groupOffsets(groupId, topic)).length > 0, 20_000, 'the commit');
    expect(await groupOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: '3' }]);
  });

  it('commits nothing when the handler throws, and the batch is handled again', async () => {
    const { topic, groupId } = await freshTopic(3);
    const firstOffsets: string[] = [];
    let committedWhenRetried: TopicPartitionOffset[] | undefined;
    const { strategy } = await startApp(
      async (batch) => {
        firstOffsets.push(batch.messages[0]!.offset);
        if (firstOffsets.length === 1) throw new Error('handler failed on purpose');
        committedWhenRetried ??= await groupOffsets(groupId, topic);
      },
      { topic, groupId },
    );
    const errors: Error[] = [];
    strategy.on('error', (error) => errors.push(error));

    await waitFor(async () => (await groupOffsets(groupId, topic)).length > 0, 20_000, 'the commit after the retry');
    expect(firstOffsets.slice(0, 2)).toEqual(['0', '0']);
    expect(committedWhenRetried).toEqual([]);
    expect(await groupOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: '3' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
  });

  it("leaves committing to the handler with 'by-handler', through the context", async () => {
    const { topic, groupId } = await freshTopic(3);
    let sameBatch = false;
    let stale: boolean | undefined;
    await startApp(
      async (batch, context) => {
        sameBatch = context.getBatch() === batch;
        stale = context.getControl().isStale();
        await context.getConsumer().commit([{ topic, partition: 0, offset: '1' }]);
      },
      { topic, groupId, commit: 'by-handler' },
    );

    await waitFor(async () => (await groupOffsets(groupId, topic)).length > 0, 20_000, "the handler's commit");
    await sleep(500); // the transport must not add a commit of its own
    expect(await groupOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: '1' }]);
    expect(sameBatch).toBe(true);
    expect(stale).toBe(false);
  });

  it('exposes the consumer through unwrap() and stops it on close()', async () => {
    const { topic, groupId } = await freshTopic(1);
    let handled = 0;
    const { app, strategy } = await startApp(async () => void handled++, { topic, groupId });
    await waitFor(() => handled === 1, 20_000, 'a batch');
    const consumer = strategy.unwrap<BatchConsumer>();
    expect(consumer.assignment()).toEqual([{ topic, partition: 0 }]);

    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(consumer.assignment()).toEqual([]);
    expect(await groupOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: '1' }]);
  });

  it('fails to listen when no handler is registered for its pattern', async () => {
    const { topic, groupId } = await freshTopic(0);
    await expect(startApp(async () => undefined, { topic, groupId, pattern: 'nobody.listens' })).rejects.toMatchObject({
      code: 'VIGIL_KAFKA',
      message: expect.stringContaining("@EventPattern('nobody.listens')"),
    });
  });
});
