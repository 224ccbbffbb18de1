import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/vigil-config.js';
import { loadTemplateByRef } from '../../src/app/build-core.js';
import { detectorSlots } from '../../src/runtime/detector-slots.js';
import { DetectProcessor } from '../../src/stages/detect/detect.processor.js';
import { RuleBook } from '../../src/rules/rule-book.js';
import { consumeWithKcat, createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate } from '../utils/pipeline.js';
import { VigilProcess } from '../utils/vigil-process.js';
import { builtInGenerators } from '../../src/domains/domains.js';

const EVENTS = 12_000;
const CHUNK = 500;
const KILLS = 12;

async function sql<T>(apiUrl: string, query: string): Promise<T[]> {
  const response = await fetch(`${apiUrl}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: query, maxRows: 1_000_000 }) });
  if (response.status !== 200) throw new Error(`query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: T[] }).rows;
}

describe('crashes (real Kafka broker, embedded ClickHouse, separate processes)', () => {
  it(`survives ${KILLS} SIGKILLs of detect and sink while events flow: exact rows, the findings of an uninterrupted run`, async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const lines = simulatedPayments(11);

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

      const expected = await uninterruptedFindings(file, input);
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
    const lines = simulatedPayments(23);
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
      const expected = await uninterruptedFindings(file, input);
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

/**
 * Every finding of the uninterrupted run is stored once, and nothing else. A duplicate names its
 * Kafka lineage (findings partition and offsets), which tells a finding written twice by detect
 * from one written once and stored twice by the sink.
 */
async function expectFindings(api: string, expected: readonly string[]): Promise<void> {
  const findings = await eventually(
    () => sql<{ id: string }>(api, 'SELECT id FROM findings ORDER BY id'),
    (rows) => rows.length >= expected.length,
    60_000,
    'every finding stored',
  );
  const duplicates = await sql<{ id: string }>(
    api,
    'SELECT id, groupArray(_partition) AS partitions, groupArray(toString(_offset)) AS offsets FROM findings GROUP BY id HAVING count() > 1',
  );
  expect(duplicates).toEqual([]);
  expect(findings.map((f) => f.id)).toEqual(expected);
}

/** EVENTS finance payments with frequent fraud bursts, 150 ms apart, ending about 2.5 h ago. */
function simulatedPayments(seed: number): { key: string; value: string }[] {
  const generator = builtInGenerators().create('finance', { seed, params: { customers: 3000, terminals: 800, burstProbability: 0.004 } });
  const start = Date.now() - 3 * 3_600_000;
  return Array.from({ length: EVENTS }, (_, i) => {
    const event = generator.next(start + i * 150);
    return { key: event.key, value: JSON.stringify(event.value) };
  });
}

/** The same input through the same detector code, each partition in offset order, in this process. */
async function uninterruptedFindings(templateFile: string, input: string): Promise<string[]> {
  const loaded = await loadTemplateByRef(loadConfig({ ...process.env }), templateFile);
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
  // The template's rules run too: the detect processes seed them into the rules topic at version 1.
  const slots = RuleBook.seeded(loaded.template, detectorSlots(loaded), quiet).slots();
  const processor = new DetectProcessor(loaded.template, slots, quiet);
  const records = await consumeWithKcat(input, { count: EVENTS, timeoutMs: 60_000 });
  const byPartition = new Map<number, typeof records>();
  for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  const ids: string[] = [];
  for (const [partition, list] of byPartition) {
    list.sort((a, b) => a.offset - b.offset);
    const output = processor.process({
      topic: input,
      partition,
      highWatermark: String(list.length),
      messages: list.map((r) => ({ topic: input, partition, offset: String(r.offset), key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), headers: {}, timestamp: 0 })),
    });
    ids.push(...output.findings.map((f) => f.id));
  }
  return ids.sort();
}

function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
