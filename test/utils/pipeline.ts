import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { parseDocument } from 'yaml';
import { buildCore, type OwnedCore } from '../../src/app/build-core.js';
import type { ServiceName } from '../../src/app/services.js';
import { startStages, type RunningStages, type StartStagesOptions } from '../../src/app/stage-launcher.js';
import { loadConfig } from '../../src/config/vigil-config.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { testBrokers, uniqueName } from './kafka.js';

/**
 * chdb opens one data directory per process at a time, so every pipeline test in this jest
 * process shares one directory and keeps apart by database.
 */
export const CHDB_DIR = path.join(os.tmpdir(), `vigil-test-data-${process.pid}`);

/**
 * The finance template under a name and topics of its own: a stage's consumer group and its
 * state changelog are named after the template, so tests must never share a template name.
 */
export async function isolatedFinanceTemplate(): Promise<{ file: string; prefix: string; name: string }> {
  const prefix = uniqueName('t').replace(/-/g, '_');
  const name = `finance_${prefix.slice(2)}`;
  const text = await fs.readFile(path.resolve('templates/finance/template.yaml'), 'utf8');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-template-'));
  const file = path.join(dir, 'template.yaml');
  await fs.writeFile(file, text.replaceAll('vigil.finance.', `${prefix}.`).replace(/^name: finance$/m, `name: ${name}`));
  return { file, prefix, name };
}

/** The health template likewise, under a name and topics of its own. */
export async function isolatedHealthTemplate(): Promise<{ file: string; prefix: string; name: string }> {
  const prefix = uniqueName('h').replace(/-/g, '_');
  const name = `health_${prefix.slice(2)}`;
  const text = await fs.readFile(path.resolve('templates/health/template.yaml'), 'utf8');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-template-'));
  const file = path.join(dir, 'template.yaml');
  await fs.writeFile(file, text.replaceAll('vigil.health.', `${prefix}.`).replace(/^name: health$/m, `name: ${name}`));
  return { file, prefix, name };
}

/**
 * The social template under a name and topics of its own, as isolatedFinanceTemplate; with another
 * `format` it is switched the way templates/social/README.md says: `event.format` set and every
 * field's `from` removed (the format produces the canonical names).
 */
export async function isolatedSocialTemplate(format = 'social-json'): Promise<{ file: string; prefix: string; name: string }> {
  const prefix = uniqueName('s').replace(/-/g, '_');
  const name = `social_${prefix.slice(2)}`;
  const text = await fs.readFile(path.resolve('templates/social/template.yaml'), 'utf8');
  const document = parseDocument(text.replaceAll('vigil.social.', `${prefix}.`).replace(/^name: social$/m, `name: ${name}`));
  if (format !== 'social-json') {
    document.setIn(['event', 'format'], format);
    for (const field of Object.keys((document.getIn(['event', 'fields']) as { toJSON(): Record<string, unknown> }).toJSON())) {
      document.deleteIn(['event', 'fields', field, 'from']);
    }
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-template-'));
  const file = path.join(dir, 'template.yaml');
  await fs.writeFile(file, document.toString());
  return { file, prefix, name };
}

/** The template's `alerting.receivers` and `alerting.routes`, through to the blank line after them. */
const ALERTING_BLOCK = /  receivers:\n[\s\S]*?\n  routes:\n[\s\S]*?\n\n/;

/**
 * Replaces the receivers and routes of a template file (isolatedFinanceTemplate's) with these,
 * one YAML flow mapping per list item. Fails when the block is not found, so a reworded template
 * cannot leave its shipped routes in force unnoticed.
 */
export async function setAlerting(file: string, alerting: { receivers: readonly string[]; routes: readonly string[] }): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  if (!ALERTING_BLOCK.test(text)) throw new Error(`${file}: no receivers/routes block to replace`);
  const items = (list: readonly string[]) => list.map((item) => `    - ${item}\n`).join('');
  await fs.writeFile(file, text.replace(ALERTING_BLOCK, `  receivers:\n${items(alerting.receivers)}  routes:\n${items(alerting.routes)}\n`));
}

export interface PipelineOptions {
  readonly templateFile: string;
  readonly database: string;
  readonly services: readonly ServiceName[];
  readonly env?: Readonly<Record<string, string>>;
  /** Default: warn and above to stderr; expectingErrors() for a test that provokes errors. */
  readonly logger?: Logger;
  readonly stages?: StartStagesOptions;
}

export interface RunningPipeline {
  readonly owned: OwnedCore;
  readonly stages: RunningStages;
  readonly clickhouse: ClickHouseClient;
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<RunningPipeline> {
  const config = loadConfig({
    ...process.env,
    KAFKA_BROKERS: testBrokers().join(','),
    VIGIL_DATA_DIR: CHDB_DIR,
    CLICKHOUSE_DATABASE: options.database,
    VIGIL_API_PORT: '0',
    VIGIL_LOG_LEVEL: 'warn',
    VIGIL_SINK_FLUSH_MS: '200',
    ...options.env,
  });
  const owned = await buildCore({ config, template: options.templateFile, clickhouse: true, logger: options.logger ?? createLogger('warn', 'pipeline-test') });
  const stages = await startStages(owned.core, options.services, options.stages);
  return {
    owned,
    stages,
    clickhouse: owned.core.clickhouse!,
    stop: async () => {
      await stages.close();
      await owned.close();
    },
  };
}

/**
 * Polls a count until it is above 0 and the same twice in a row: rows that trail the processed
 * count by a flush (findings, alerts) have stopped arriving.
 */
export async function settledCount(client: ClickHouseClient, query: string, timeoutMs: number, what: string): Promise<number> {
  let previous = -1;
  return eventually(
    () => queryRows<{ n: number }>(client, query).then((r) => r[0]!.n),
    (n) => {
      const settled = n > 0 && n === previous;
      previous = n;
      return settled;
    },
    timeoutMs,
    what,
  );
}

/** Polls `read` until `done` holds for its value; fails with the last value after the timeout. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await sleep(200);
    value = await read();
  }
  return value;
}

export async function queryRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}
