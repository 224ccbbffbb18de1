import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCore, loadTemplateByRef } from '../app/build-core.js';
import { startStages } from '../app/stage-launcher.js';
import type { VigilCore } from '../core/vigil-core.js';
import { templateTopics } from '../model/topics.js';
import { writeTemplateVariant } from '../bench/bench-template.js';
import { deleteTopics } from '../bench/bench-topics.js';
import { loadConfig, type VigilConfig } from '../config/vigil-config.js';
import type { Logger } from '../logging/logger.js';
import { builtInGenerators } from '../domains/domains.js';
import { TemplateCatalog } from '../templates/template.catalog.js';
import { hostileEvents, type HostileEvent } from './hostile-events.js';

export interface FuzzOptions {
  readonly template: string;
  readonly events: number;
  readonly seed: number;
  /** Kafka to use; undefined starts a local broker. */
  readonly brokers?: readonly string[];
  readonly logger: Logger;
  /** How long the pipeline may take to account for every event. */
  readonly timeoutMs?: number;
  /** Embedded ClickHouse directory and database; default a temporary directory (removed after). */
  readonly dataDir?: string;
  readonly database?: string;
}

export interface FuzzResult {
  readonly template: string;
  readonly produced: number;
  readonly malformed: number;
  readonly valid: number;
  readonly deadLettered: number;
  readonly processed: number;
  readonly late: number;
  /** Malformed events not in dead_letters with a code and reason, or valid ones that are. */
  readonly misplaced: readonly string[];
  readonly byMutation: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** dead letters + processed + late = produced, and every event where it must be. */
  readonly ok: boolean;
}

/**
 * Sends generated hostile events through a real broker into detect and the sink (embedded
 * ClickHouse in a temporary directory), waits until every one is accounted for, and checks that
 * each malformed event is in dead_letters with its reason and each valid one was processed.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'vigil-fuzz-'));
  const dataDir = options.dataDir ?? scratch;
  // Always the embedded engine in a directory of its own, never a server the environment names.
  const { CLICKHOUSE_URL: _server, ...env } = process.env;
  const config: VigilConfig = loadConfig({
    ...env,
    KAFKA_BROKERS: options.brokers?.join(',') ?? process.env.KAFKA_BROKERS,
    VIGIL_DATA_DIR: dataDir,
    CLICKHOUSE_DATABASE: options.database ?? 'fuzz',
    VIGIL_LOG_LEVEL: 'error',
    VIGIL_LAG_SAMPLE_MS: '0',
    VIGIL_SINK_FLUSH_MS: '200',
  });
  const baseFile = new TemplateCatalog(config.templatesDir).resolve(options.template);
  const base = (await loadTemplateByRef(config, baseFile)).template;
  const runId = `fuzz${Date.now().toString(36)}`;
  const variant = await writeTemplateVariant(config, { baseFile, dir: scratch, runId, variant: 'fuzz', inputTopic: `vigil.fuzz.${runId}.${base.topics.input}` });
  const template = variant.template;
  if (!template.simulator) throw new Error(`template ${options.template} has no simulator to start the events from`);
  const generator = builtInGenerators().create(template.simulator.generator, { seed: options.seed, params: template.simulator.params });
  const events = hostileEvents(template, generator, { count: options.events, seed: options.seed, startMs: Date.now() - 6 * 3_600_000 });

  const owned = await buildCore({ config, template: variant.file, clickhouse: true, logger: options.logger });
  const { core } = owned;
  try {
    const producer = await core.kafka.producer();
    try {
      // Small sends: a few events are hundreds of KiB, and one record batch must stay under the broker's limit.
      for (let i = 0; i < events.length; i += 50) {
        await producer.send(events.slice(i, i + 50).map((e) => ({ topic: template.topics.input, key: e.key, value: e.value })));
      }
      options.logger.info({ events: events.length }, 'fuzz: events produced');
    } finally {
      await producer.close();
    }
    const stages = await startStages(core, ['detect', 'sink']);
    try {
      const counts = await accountFor(core, template.topics.input, events.length, options.timeoutMs ?? 600_000, (c) => options.logger.info(c, 'fuzz: accounted for'));
      const misplaced = await misplacedEvents(core.clickhouse!, template.topics.input, events);
      const malformed = events.filter((e) => e.expect === 'dead-letter').length;
      const byMutation: Record<string, number> = {};
      for (const e of events) byMutation[e.mutation] = (byMutation[e.mutation] ?? 0) + 1;
      return {
        template: options.template,
        produced: events.length,
        malformed,
        valid: events.length - malformed,
        ...counts,
        misplaced,
        byMutation,
        seconds: (performance.now() - started) / 1000,
        ok: misplaced.length === 0 && counts.deadLettered + counts.processed + counts.late === events.length && counts.deadLettered === malformed,
      };
    } finally {
      await stages.close();
    }
  } finally {
    await owned.close();
    if (config.kafkaBrokers) await deleteTopics(config.kafkaBrokers, templateTopics(template).map((t) => t.topic)).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

type ClickHouse = NonNullable<Awaited<ReturnType<typeof buildCore>>['core']['clickhouse']>;

/** The dead letters of one input topic (topic names allow no quote, but the literal is escaped anyway). */
function fromSourceTopic(input: string): string {
  return `source_topic = '${input.replaceAll("'", "\\'")}'`;
}

async function count(clickhouse: ClickHouse, sql: string): Promise<number> {
  const rows = await (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json<{ n: string | number }>();
  return Number(rows[0]?.n ?? 0);
}

/**
 * Waits until detect has judged every event (its counters: processed, late, dead-lettered; the
 * tables are no ledger for this, since rows older than a table's TTL, such as events dated 1970,
 * are dropped) and the sink has stored every dead letter, or the deadline.
 */
async function accountFor(
  core: VigilCore,
  input: string,
  expected: number,
  timeoutMs: number,
  onProgress: (counts: { deadLettered: number; processed: number; late: number; stored: number }) => void,
) {
  const deadline = Date.now() + timeoutMs;
  const { metrics } = core;
  const judged = async () => ({
    deadLettered: await metrics.total(metrics.deadLetters, { stage: 'detect' }),
    processed: await metrics.total(metrics.processed),
    late: await metrics.total(metrics.lateEvents),
  });
  for (;;) {
    const counts = await judged();
    const stored = await count(core.clickhouse!, `SELECT count() AS n FROM dead_letters WHERE ${fromSourceTopic(input)}`);
    onProgress({ ...counts, stored });
    if ((counts.deadLettered + counts.processed + counts.late >= expected && stored >= counts.deadLettered) || Date.now() > deadline) {
      // A moment more shows whether anything was counted twice.
      await sleep(1_000);
      return judged();
    }
    await sleep(500);
  }
}

/** Keys of events not where they must be: malformed ones missing from dead_letters (or without a reason), valid ones in it. */
async function misplacedEvents(clickhouse: ClickHouse, input: string, events: readonly HostileEvent[]): Promise<string[]> {
  const rows = await (
    await clickhouse.query({ query: `SELECT key, code, reason FROM dead_letters WHERE ${fromSourceTopic(input)}`, format: 'JSONEachRow' })
  ).json<{ key: string; code: string; reason: string }>();
  const dead = new Map(rows.map((row) => [row.key, row]));
  const misplaced: string[] = [];
  for (const event of events) {
    const row = dead.get(event.key);
    if (event.expect === 'dead-letter' && (!row || row.code === '' || row.reason === '')) misplaced.push(`${event.key} (${event.mutation}): not dead-lettered with a reason`);
    if (event.expect === 'process' && row) misplaced.push(`${event.key} (${event.mutation}): dead-lettered: ${row.code}: ${row.reason}`);
  }
  return misplaced;
}
