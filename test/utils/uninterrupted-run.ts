import { loadTemplateByRef } from '../../src/app/build-core.js';
import { loadConfig } from '../../src/config/vigil-config.js';
import { builtInGenerators } from '../../src/domains/domains.js';
import { detectorSlots } from '../../src/runtime/detector-slots.js';
import { RuleBook } from '../../src/rules/rule-book.js';
import { DetectProcessor } from '../../src/stages/detect/detect.processor.js';
import { consumeWithKcat } from './kafka.js';
import { eventually } from './pipeline.js';

/**
 * What crash and failover tests compare a disturbed run with: the same input through the same
 * detector code, undisturbed, in this process.
 */

/** Rows of a query through a running `vigil run`'s API (the process that owns the embedded ClickHouse). */
export async function apiRows<T>(apiUrl: string, query: string): Promise<T[]> {
  const response = await fetch(`${apiUrl}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: query, maxRows: 1_000_000 }), signal: AbortSignal.timeout(60_000) });
  if (response.status !== 200) throw new Error(`query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: T[] }).rows;
}

/**
 * Every finding of the uninterrupted run is stored once, and nothing else. A duplicate names its
 * Kafka lineage (findings partition and offsets), which tells a finding written twice by detect
 * from one written once and stored twice by the sink.
 */
export async function expectFindings(api: string, expected: readonly string[]): Promise<void> {
  const findings = await eventually(
    () => apiRows<{ id: string }>(api, 'SELECT id FROM findings ORDER BY id'),
    (rows) => rows.length >= expected.length,
    60_000,
    'every finding stored',
  );
  const duplicates = await apiRows<{ id: string }>(
    api,
    'SELECT id, groupArray(_partition) AS partitions, groupArray(toString(_offset)) AS offsets FROM findings GROUP BY id HAVING count() > 1',
  );
  expect(duplicates).toEqual([]);
  expect(findings.map((f) => f.id)).toEqual(expected);
}

/** `count` finance payments with frequent fraud bursts, 150 ms apart, ending about 2.5 h ago. */
export function simulatedPayments(seed: number, count: number): { key: string; value: string }[] {
  const generator = builtInGenerators().create('finance', { seed, params: { customers: 3000, terminals: 800, burstProbability: 0.004 } });
  const start = Date.now() - 3 * 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const event = generator.next(start + i * 150);
    return { key: event.key, value: JSON.stringify(event.value) };
  });
}

/** The same input through the same detector code, each partition in offset order, in this process. */
export async function uninterruptedFindings(templateFile: string, input: string, count: number): Promise<string[]> {
  const loaded = await loadTemplateByRef(loadConfig({ ...process.env }), templateFile);
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
  // The template's rules run too: the detect processes seed them into the rules topic at version 1.
  const slots = RuleBook.seeded(loaded.template, detectorSlots(loaded), quiet).slots();
  const processor = new DetectProcessor(loaded.template, slots, quiet);
  const records = await consumeWithKcat(input, { count, timeoutMs: 60_000 });
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

export function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
