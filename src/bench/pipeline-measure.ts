import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child-exit.js';
import { BenchError } from './measurement.js';
import type { PipelineResult, PipelineStage } from './pipeline-result.js';

const CHILD_ENTRY = fileURLToPath(new URL('./pipeline-run.js', import.meta.url));

export interface PipelineMeasureOptions {
  readonly brokers: readonly string[];
  /** A template copy whose input topic is the filled topic (bench-template.ts). */
  readonly templateFile: string;
  readonly events: number;
  readonly stages: readonly PipelineStage[];
  readonly timeoutMs: number;
  /** The parent's environment, passed on (VIGIL_SINK_BATCH_ROWS, VIGIL_LOG_LEVEL...). */
  readonly env: NodeJS.ProcessEnv;
  readonly cpuProfDir?: string;
  /** Aborting kills the child (SIGKILL) and rejects. */
  readonly signal: AbortSignal;
}

/**
 * Runs pipeline-run.js in a child node process with a fresh VIGIL_DATA_DIR (a temp dir with the
 * embedded ClickHouse, removed afterwards whatever happens) and returns the JSON line it prints.
 * The child's stderr (its logs) passes through to ours.
 */
export async function measurePipeline(options: PipelineMeasureOptions): Promise<PipelineResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-data-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      KAFKA_BROKERS: options.brokers.join(','),
      VIGIL_DATA_DIR: dataDir,
      VIGIL_LOG_LEVEL: options.env.VIGIL_LOG_LEVEL ?? 'warn',
    };
    const nodeArgs = options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`, `--cpu-prof-name=pipeline-${options.stages.join('-')}-${Date.now()}.cpuprofile`];
    const args = [...nodeArgs, CHILD_ENTRY, '--template', options.templateFile, '--events', String(options.events), '--timeout-ms', String(options.timeoutMs), '--stages', options.stages.join(',')];
    const stdout = await runChild('pipeline child', args, env, options.signal);
    const line = stdout.trim().split('\n').at(-1);
    if (!line) throw new BenchError(`pipeline child (${options.stages.join('+')}) printed no result`);
    const result = JSON.parse(line) as PipelineResult;
    if (!result.ok) throw new BenchError(`pipeline child (${options.stages.join('+')}) failed: ${result.error ?? 'unknown error'}`);
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
