import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runResultChild } from './child-exit.js';
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
export function measurePipeline(options: PipelineMeasureOptions): Promise<PipelineResult> {
  const nodeArgs = options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`, `--cpu-prof-name=pipeline-${options.stages.join('-')}-${Date.now()}.cpuprofile`];
  const args = [...nodeArgs, CHILD_ENTRY, '--template', options.templateFile, '--events', String(options.events), '--timeout-ms', String(options.timeoutMs), '--stages', options.stages.join(',')];
  return runResultChild<PipelineResult>(`pipeline child (${options.stages.join('+')})`, args, { ...options, dataDirPrefix: 'vigil-bench-data-' });
}
