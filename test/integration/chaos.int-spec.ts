import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate } from '../utils/pipeline.js';
import { apiRows as sql, expectFindings, mulberry, simulatedPayments, uninterruptedFindings } from '../utils/uninterrupted-run.js';
import { VigilProcess } from '../utils/vigil-process.js';

const EVENTS = 12_000;
const CHUNK = 500;
const KILLS = 12;

describe('crashes (real Kafka broker, embedded ClickHouse, separate processes)', () => {
  it(`survives ${KILLS} SIGKILLs of detect and sink while events flow: exact rows, the findings of an uninterrupted run`, async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const lines = simulatedPayments(11, EVENTS);

    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-chaos-'));
    const env = { KAFKA_BROKERS: testBrokers().join(','), VIGIL_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: `${prefix}_chaos`, VIGIL_API_PORT: '0', VIGIL_SINK_BATCH_ROWS: '400', KAFKA_SESSION_TIMEOUT_MS: '6000' };
    const detect = new VigilProcess(['--template', file, '--services', 'detect'], env);
    const sink = new VigilProcess(['--template', file, '--services', 'sink,api'], env);
    await Promise.all([detect.start(), sink.start()]);
    try {
      const producing = (async () => {
        for (let i = 0; i < lines.length; i += CHUNK) {
          await produceWithKcat(input, lines.slice(i, i + CHUNK));
          await sleep(150);
        }
      })();
      const random = mulberry(5);
      for (let kill = 0; kill < KILLS; kill++) {
        await sleep(400 + random() * 1200);
        const victim = kill % 2 === 0 ? detect : sink;
        await victim.kill();
        await victim.start();
      }
      await producing;

      const api = () => sink.apiUrl!;
      const stored = await eventually(
        () => sql<{ n: number; ids: number }>(api(), 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!),
        (c) => c.n >= EVENTS,
        180_000,
        'every event stored',
      );
      expect(stored).toEqual({ n: EVENTS, ids: EVENTS });

      const expected = await uninterruptedFindings(file, input, EVENTS);
      expect(expected.length).toBeGreaterThan(5);
      await expectFindings(api(), expected);
    } finally {
      await Promise.all([detect.stop(), sink.stop()]);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 400_000);
  it('shares partitions among three detect processes; when one is killed its partitions and state move to the others', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const lines = simulatedPayments(23, EVENTS);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-scale-'));
    const env = { KAFKA_BROKERS: testBrokers().join(','), VIGIL_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: `${prefix}_scale`, VIGIL_API_PORT: '0', KAFKA_SESSION_TIMEOUT_MS: '6000' };
    const detects = [0, 1, 2].map(() => new VigilProcess(['--template', file, '--services', 'detect'], env));
    const sink = new VigilProcess(['--template', file, '--services', 'sink,api'], env);
    await Promise.all([...detects.map((d) => d.start()), sink.start()]);
    try {
      const half = lines.length / 2;
      for (let i = 0; i < half; i += CHUNK) await produceWithKcat(input, lines.slice(i, i + CHUNK));
      const api = () => sink.apiUrl!;
      const count = () => sql<{ n: number }>(api(), 'SELECT toUInt32(count()) AS n FROM finance_transactions').then((r) => r[0]!.n);
      await eventually(count, (n) => n > 0, 60_000, 'the first events stored');
      // Each of the three owns two of the six partitions; the second one dies with its state.
      await detects[1]!.kill();
      for (let i = half; i < lines.length; i += CHUNK) await produceWithKcat(input, lines.slice(i, i + CHUNK));

      const stored = await eventually(count, (n) => n >= EVENTS, 180_000, 'every event stored');
      expect(stored).toBe(EVENTS);
      const expected = await uninterruptedFindings(file, input, EVENTS);
      expect(expected.length).toBeGreaterThan(5);
      await expectFindings(api(), expected);
      // The partitions that moved came with the dead process's state, read back from the changelog.
      const restoredRecords = [detects[0]!, detects[2]!].flatMap((d) =>
        d.log.filter((line) => line.includes('restored detector state from the changelog')).map((line) => (JSON.parse(line) as { records: number }).records),
      );
      expect(Math.max(...restoredRecords)).toBeGreaterThan(0);
    } finally {
      await Promise.all([...detects.map((d) => d.stop()), sink.stop()]);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 400_000);
});
