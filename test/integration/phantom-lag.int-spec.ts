import { Kafka, logLevel } from 'kafkajs';
import { builtInGenerators } from '../../src/domains/domains.js';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const EVENTS = 600;
const PARTITIONS = 6;

/**
 * After a crash, detect's consumer group may lag its changelog: the group's offsets follow the
 * transactions lazily. The restarted detect skips the events its changelog shows as done; the
 * group's offsets must then move past them too, or the lag an operator sees never falls to 0.
 */
describe('detect after a crash with no further input (real Kafka broker)', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  }, 60_000);

  it('commits the group past the events its changelog already holds, so lag reaches 0', async () => {
    const template = await isolatedFinanceTemplate();
    const input = `${template.prefix}.transactions`;
    const group = `vigil.${template.name}.detect`;
    await createTopic(input, PARTITIONS);
    const generator = builtInGenerators().create('finance', { seed: 5, params: { customers: 500, terminals: 100 } });
    const t0 = Date.now() - 60 * 60_000;
    const events = Array.from({ length: EVENTS }, (_, i) => generator.next(t0 + i * 1000));
    await produceWithKcat(input, events.map((event) => ({ key: event.key, value: JSON.stringify(event.value) })));

    const start = () => startPipeline({ templateFile: template.file, database: `${template.prefix}_lag`, services: ['detect'] });
    pipeline = await start();
    const first = pipeline.owned.core;
    await eventually(() => first.metrics.total(first.metrics.processed), (n) => n >= EVENTS, 60_000, 'every event processed');
    await pipeline.stop();
    pipeline = undefined;

    // The state a crash leaves: every batch's transaction (changelog, output) committed, the group's
    // offsets not yet.
    const kafka = new Kafka({ clientId: 'vigil-test-lag', brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: group, topic: input, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: '0' })) });
      const lag = async () => {
        const ends = await admin.fetchTopicOffsets(input);
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [input] });
        return ends.reduce((sum, end) => {
          const at = committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          return sum + Number(end.offset) - Math.max(0, Number(at));
        }, 0);
      };
      expect(await lag()).toBe(EVENTS);

      pipeline = await start();
      const second = pipeline.owned.core;
      await eventually(lag, (n) => n === 0, 30_000, 'the group caught up with no new input');
      expect(await second.metrics.total(second.metrics.processed)).toBe(0);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});
