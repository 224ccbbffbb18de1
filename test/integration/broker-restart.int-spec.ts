import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/vigil-config.js';
import { builtInGenerators } from '../../src/domains/domains.js';
import { startLocalBroker, type LocalBroker } from '../../src/kafka/local-broker.js';
import { groupId } from '../../src/model/topics.js';
import type { KafkaClient } from '../../src/kafka/kafka.types.js';
import { groupLag, type PartitionLag } from '../../src/lag/consumer-lag.js';
import { consumeWithKcat, createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

/** How long the broker stays down mid-stream. */
const DOWN_MS = 12_000;
const PER_PHASE = 8_000;

/** The group's lag on every partition of `topic`, as the lag samples compute it. */
async function detectLag(kafka: KafkaClient, group: string, topic: string): Promise<PartitionLag[]> {
  const admin = await kafka.admin();
  try {
    const [watermarks, committed] = await Promise.all([admin.topicWatermarks(topic), admin.groupOffsets(group, [topic])]);
    return groupLag({ stage: 'detect', group, topics: new Map([[topic, watermarks]]), committed });
  } finally {
    await admin.close();
  }
}

function heapMiB(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Its own broker, not the suite's: this test stops it under a running pipeline and starts it again
 * on the same ports and data, as an operator's restart (or a crash and a supervisor) would.
 */
describe('the broker restarted mid-stream (a real broker of its own, detect + sink, embedded ClickHouse)', () => {
  let broker: LocalBroker | undefined;
  let pipeline: RunningPipeline | undefined;
  let dataDir: string | undefined;
  const suiteBrokers = process.env.KAFKA_BROKERS;

  afterEach(async () => {
    await pipeline?.stop().catch(() => undefined);
    await broker?.stop();
    process.env.KAFKA_BROKERS = suiteBrokers;
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('detect and sink ride out a broker outage: every event stored once, every finding once, none run late, memory bounded', async () => {
    const { kafkaCacheDir } = loadConfig();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-restart-kafka-'));
    broker = await startLocalBroker({ cacheDir: kafkaCacheDir, dataDir });
    const ports = broker.ports;
    process.env.KAFKA_BROKERS = broker.brokers.join(',');

    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const generator = builtInGenerators().create('finance', { seed: 23, params: { customers: 3_000, terminals: 500, burstProbability: 0.01 } });
    const start = Date.now() - 6 * 3_600_000;
    const lines = Array.from({ length: 2 * PER_PHASE }, (_, i) => {
      const event = generator.next(start + i * 200);
      return { key: event.key, value: JSON.stringify(event.value) };
    });
    // Errors are collected: the clients' reports of the outage are checked below.
    const errors: { msg: string }[] = [];
    const logger = pino({ level: 'error', base: undefined }, { write: (line: string) => void errors.push(JSON.parse(line) as { msg: string }) });
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_restart`, services: ['detect', 'sink'], logger });
    const ch = pipeline.clickhouse;
    const stored = () => queryRows<{ n: number; ids: number }>(ch, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!);

    await produceWithKcat(input, lines.slice(0, PER_PHASE));
    await eventually(stored, (s) => s.n >= PER_PHASE / 3, 60_000, 'some of the first half stored');

    const heapBefore = heapMiB();
    await broker.stop();
    let heapPeak = heapBefore;
    const downAt = Date.now();
    while (Date.now() - downAt < DOWN_MS) {
      await sleep(1_000);
      heapPeak = Math.max(heapPeak, heapMiB());
    }
    broker = await startLocalBroker({ cacheDir: kafkaCacheDir, dataDir, ports });
    await produceWithKcat(input, lines.slice(PER_PHASE));

    const all = 2 * PER_PHASE;
    await eventually(stored, (s) => s.n >= all, 240_000, 'every event stored after the broker came back');
    // Detect is through the whole input: its group's committed offsets, which follow its committed
    // transactions, leave no lag on any input partition. (The per-batch lag metric is no proof: it is
    // last set by a batch, so a detect consumer that stopped fetching would show the lag of before.)
    const { kafka, metrics, template } = pipeline.owned.core;
    await eventually(
      () => detectLag(kafka, groupId(template, 'detect'), input),
      (lags) => lags.length === 6 && lags.every((l) => l.lag === 0n),
      120_000,
      'detect committed through the whole input',
    );
    await sleep(3_000);
    expect(await stored()).toEqual({ n: all, ids: all });
    const [findings] = await queryRows<{ n: number; ids: number }>(ch, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(id)) AS ids FROM findings');
    expect(findings!.n).toBeGreaterThan(0);
    // Every finding once: committed once on the findings topic (detect), and stored once (sink);
    // checked on both, so a failure names the stage. A commit the broker accepted as it went down
    // completes only after it is back: a restore that read the changelog before then would run
    // that batch again, so a partition's new producer fences and settles it first.
    const committed = await consumeWithKcat(`${prefix}.findings`, { count: 1_000_000, timeoutMs: 60_000 });
    // Per finding id, where it lies on the findings topic (partition@offset): more than one place is
    // a finding committed twice, and those places are named should one be.
    const lineage = new Map<string, string[]>();
    for (const r of committed) {
      const id = (JSON.parse(r.value!) as { id: string }).id;
      lineage.set(id, [...(lineage.get(id) ?? []), `${r.partition}@${r.offset}`]);
    }
    const twice = [...lineage].filter(([, at]) => at.length > 1).slice(0, 10);
    expect({ records: committed.length, ids: lineage.size, twice }).toEqual({ records: findings!.n, ids: findings!.n, twice: [] });
    expect(findings!.ids).toBe(findings!.n);
    expect(heapPeak - heapBefore).toBeLessThan(128);
    // The consumers kafkajs restarted fetched again from the group's (older) offsets: what the state
    // already held was skipped, not run again (late, or twice) through the detectors.
    expect(await metrics.total(metrics.lateEvents)).toBe(0);
    const counted = { processed: await metrics.total(metrics.processed), late: await metrics.total(metrics.lateEvents), deadLettered: await metrics.total(metrics.deadLetters) };
    process.stdout.write(
      `broker restart: ${all} events stored once, ${findings!.n} findings once; detect counted ${JSON.stringify(counted)}; heap peak +${(heapPeak - heapBefore).toFixed(0)} MiB while down; ${errors.length} error lines\n`,
    );
    // While the broker is away, and as it comes back and takes up its partitions and groups again,
    // its clients say so at error level, a few times a second at most, and say nothing else.
    const expected = [
      /ECONNREFUSED/,
      /Connection error|Closed connection|Request timed out/,
      /not the correct coordinator|coordinator is (loading|not available)/i,
      /not the leader for that topic-partition|There is no leader for this topic-partition/,
      /^Crash: KafkaJS\w+: /,
      /^Restarting the consumer in [\d.]+ms$/,
      /^batch handler failed; the batch will be delivered again$/,
    ];
    expect(errors.map((e) => e.msg).filter((msg) => !expected.some((pattern) => pattern.test(msg)))).toEqual([]);
    expect(errors.length).toBeLessThan((DOWN_MS / 1000) * 5);
  }, 480_000);
});
