import { describe, expect, it, jest } from '@jest/globals';
import { KcatProducer } from '../../src/bench/kcat-producer.js';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import { captureLogger, consumeWithKcat, createTopic, testBrokers, uniqueName } from '../utils/kafka.js';

jest.setTimeout(60_000);

const { logger } = captureLogger('warn');

describe('KcatProducer (the alert bench background traffic)', () => {
  it('delivers every line before close() resolves, each key on the partition kafkajs would choose', async () => {
    const viaKcat = uniqueName('bg-kcat');
    const viaKafkajs = uniqueName('bg-kafkajs');
    await createTopic(viaKcat, 6);
    await createTopic(viaKafkajs, 6);
    const messages = Array.from({ length: 300 }, (_, i) => ({ key: `card-${i % 50}`, value: JSON.stringify({ n: i, note: 'tab\there' }) }));

    const producer = new KcatProducer(testBrokers(), viaKcat);
    await producer.send(messages.slice(0, 120).map((m) => `${m.key}\t${m.value}\n`).join(''));
    await producer.send(messages.slice(120).map((m) => `${m.key}\t${m.value}\n`).join(''));
    await producer.close();

    const client = createKafkajsClient({ brokers: testBrokers(), clientId: 'vigil-test', logger });
    const kafkajs = await client.producer();
    await kafkajs.send(messages.map((m) => ({ topic: viaKafkajs, key: m.key, value: m.value })));
    await kafkajs.close();

    const fromKcat = await consumeWithKcat(viaKcat, { count: 300 });
    const fromKafkajs = await consumeWithKcat(viaKafkajs, { count: 300 });
    expect(fromKcat.map((r) => JSON.parse(r.value!) as { n: number }).map((v) => v.n).sort((a, b) => a - b)).toEqual(messages.map((_, i) => i));
    const partitionOf = (records: typeof fromKcat) => Object.fromEntries(records.map((r) => [r.key, r.partition]));
    expect(new Set(fromKcat.map((r) => r.partition)).size).toBeGreaterThan(1);
    expect(partitionOf(fromKcat)).toEqual(partitionOf(fromKafkajs));
  });

  it('fails send() and close() once kcat is gone, saying so', async () => {
    const producer = new KcatProducer(testBrokers(), uniqueName('bg-killed'));
    producer.kill();
    await expect(producer.close()).rejects.toThrow(/kcat producer exited with SIGKILL/);
    await expect(producer.send('k\tv\n')).rejects.toThrow(/kcat producer exited with SIGKILL/);
  });
});
