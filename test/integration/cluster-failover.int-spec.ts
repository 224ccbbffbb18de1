import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { loadConfig } from '../../src/config/vigil-config.js';
import { startLocalCluster, type LocalCluster } from '../../src/kafka/local-cluster.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { OutageReceiver } from '../utils/outage-receiver.js';
import { eventually, isolatedFinanceTemplate } from '../utils/pipeline.js';
import { apiRows, expectFindings, simulatedPayments, uninterruptedFindings } from '../utils/uninterrupted-run.js';
import { VigilProcess } from '../utils/vigil-process.js';

const EVENTS = 9_000;
const CHUNK = 300;

/** The node leading partition 0 of `topic` now (leaders move as nodes die and return). */
async function leaderOf(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'vigil-test-leaders', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = metadata.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined || leader < 0) throw new Error(`no leader for ${topic}-0`);
    return leader;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A production-shaped Kafka: three KRaft nodes, replication factor 3, min.insync.replicas 2, so
 * losing any one node loses nothing. Detect runs as three processes sharing the partitions; the
 * sink, notify and the API run in a fourth. Mid-stream, the leader of the input partitions dies,
 * then the node coordinating the transactions (the leader of `__transaction_state`, which has one
 * partition here), and one detect process is killed too, each without warning (SIGKILL).
 */
/**
 * Runs by default; VIGIL_TEST_CLUSTER=0 skips it (three more JVMs). It was opt-in while a bug it
 * found was open: in about a third of the runs of 2026-12-06/07 the sink/notify/api process stopped
 * answering on its API after the failovers. Since the kafkajs retry patches (docs/guarantees.md) it
 * has not recurred in nine consecutive runs.
 */
const clusterTest = process.env.VIGIL_TEST_CLUSTER === '0' ? it.skip : it;

describe('a three-node Kafka cluster losing nodes mid-stream (real KRaft cluster, separate processes)', () => {
  let cluster: LocalCluster | undefined;
  const suiteBrokers = process.env.KAFKA_BROKERS;

  afterAll(async () => {
    await cluster?.stop();
    process.env.KAFKA_BROKERS = suiteBrokers;
  }, 120_000);

  clusterTest('stores every event once, finds what an undisturbed run finds, and delivers every alert', async () => {
    cluster = await startLocalCluster({ cacheDir: loadConfig().kafkaCacheDir });
    const brokers = cluster.brokers;
    process.env.KAFKA_BROKERS = brokers.join(',');

    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const lines = simulatedPayments(31, EVENTS);
    const receiver = new OutageReceiver();
    await receiver.up();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cluster-'));
    const env = {
      KAFKA_BROKERS: brokers.join(','),
      VIGIL_DATA_DIR: dataDir,
      CLICKHOUSE_DATABASE: `${prefix}_cluster`,
      VIGIL_API_PORT: '0',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      VIGIL_WEBHOOK_URL: receiver.url,
      VIGIL_WEBHOOK_SECRET: generateWebhookSecret(),
    };
    const detects = [0, 1, 2].map(() => new VigilProcess(['--template', file, '--services', 'detect'], env));
    const rest = new VigilProcess(['--template', file, '--services', 'sink,notify,api'], env);
    await Promise.all([...detects.map((d) => d.start(120_000)), rest.start(120_000)]);
    try {
      const third = lines.length / 3;
      const produce = async (from: number, to: number) => {
        for (let i = from; i < to; i += CHUNK) {
          await produceWithKcat(input, lines.slice(i, Math.min(i + CHUNK, to)));
          await sleep(100);
        }
      };
      await produce(0, third);

      const inputLeader = cluster.nodes[(await leaderOf(brokers, input)) - 1]!;
      await inputLeader.kill();
      await detects[1]!.kill();
      await produce(third, 2 * third);
      await inputLeader.start();

      const coordinator = cluster.nodes[(await leaderOf(brokers, '__transaction_state')) - 1]!;
      await coordinator.kill();
      await produce(2 * third, lines.length);
      await coordinator.start();

      const api = () => rest.apiUrl!;
      const stored = await eventually(
        () => apiRows<{ n: number; ids: number }>(api(), 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!),
        (c) => c.n >= EVENTS,
        240_000,
        'every event stored',
      );
      expect(stored).toEqual({ n: EVENTS, ids: EVENTS });

      const expected = await uninterruptedFindings(file, input, EVENTS);
      expect(expected.length).toBeGreaterThan(5);
      // Each stored once: kafkajs used to re-send, inside one transaction, a partition already
      // written when a leader moved (patched; docs/guarantees.md).
      await expectFindings(api(), expected);

      // The sink may store an alert after notify delivered it: compare once both have settled.
      const alerts = await eventually(
        async () => ({
          stored: (await apiRows<{ id: string }>(api(), 'SELECT DISTINCT id FROM alerts ORDER BY id')).map((r) => r.id),
          received: receiver.accepted.map((request) => String(request.headers['webhook-id'])).sort(),
        }),
        ({ stored, received }) => stored.length > 0 && stored.join() === received.join(),
        120_000,
        'every stored alert delivered, and only those',
      );
      expect(alerts.received).toEqual(alerts.stored);
      if (receiver.duplicates.length > 0) console.warn(`alerts sent twice (the receiver deduplicated them on webhook-id): ${receiver.duplicates.length}`);
    } finally {
      await Promise.all([...detects.map((d) => d.stop()), rest.stop()]);
      await receiver.down();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 480_000);
});
