import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlertLatencyResult } from './alert-latency-result.js';
import { runChild } from './child-exit.js';
import { BenchError } from './measurement.js';

const CHILD_ENTRY = fileURLToPath(new URL('./alert-latency-run.js', import.meta.url));

export interface AlertLatencyOptions {
  readonly brokers: readonly string[];
  /** A template copy with an input topic of its own (the child produces live traffic into it). */
  readonly templateFile: string;
  readonly rate: number;
  readonly seconds: number;
  /** Each stage in its own process (as docker-compose deploys them) rather than all in the child. */
  readonly separate: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/**
 * Runs alert-latency-run.js in a child with a fresh VIGIL_DATA_DIR (removed afterwards) and
 * returns its result line: alert latency from triggering event to the receiver's 200 while
 * `rate` events/s flow through detect, sink and notify (in the child, or each in a process of its own).
 */
export async function measureAlertLatency(options: AlertLatencyOptions): Promise<AlertLatencyResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-alerts-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      KAFKA_BROKERS: options.brokers.join(','),
      VIGIL_DATA_DIR: dataDir,
      VIGIL_LOG_LEVEL: options.env.VIGIL_LOG_LEVEL ?? 'warn',
    };
    const args = [CHILD_ENTRY, '--template', options.templateFile, '--rate', String(options.rate), '--seconds', String(options.seconds), ...(options.separate ? ['--separate'] : [])];
    const stdout = await runChild('alert latency child', args, env, options.signal);
    const line = stdout.trim().split('\n').at(-1);
    if (!line) throw new BenchError('alert latency child printed no result');
    const result = JSON.parse(line) as AlertLatencyResult;
    if (!result.ok) throw new BenchError(`alert latency child failed: ${result.error ?? 'unknown error'}`);
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
