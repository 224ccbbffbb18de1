import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child-exit.js';
import { BenchError } from './measurement.js';
import type { StateResult } from './state-result.js';

const CHILD_ENTRY = fileURLToPath(new URL('./state-run.js', import.meta.url));

export interface StateMeasureOptions {
  readonly brokers: readonly string[];
  /** The shipped finance template (its detectors, partitions and event mapping). */
  readonly templateFile: string;
  /** Distinct cards, hence keys of state. */
  readonly keys: number;
  /** The changelog topic to create and fill (deleted by the caller on a shared broker). */
  readonly topic: string;
  /** A directory removed by the caller; the child's spill file goes into a temp dir inside it. */
  readonly workDir: string;
  /** The parent's environment, passed on (VIGIL_LOG_LEVEL, VIGIL_TEMPLATES_DIR...). */
  readonly env: NodeJS.ProcessEnv;
  readonly cpuProfDir?: string;
  /** Aborting kills the child (SIGKILL) and rejects. */
  readonly signal: AbortSignal;
}

/** Wall time the state child may need for `keys` keys: feed, write and restore at ≥ 5k keys/s each. */
export function stateTimeoutMs(keys: number, floorMs: number): number {
  return Math.max(floorMs, Math.ceil(keys / 5_000) * 3 * 1000);
}

/**
 * Runs state-run.js in a child `node --expose-gc` (a heap of its own, so the per-key figure is the
 * runtime's state and nothing else of the bench) and returns the JSON line it prints, also when it
 * says ok: false (then with the phases it completed and the error), so the caller can report both.
 */
export async function measureState(options: StateMeasureOptions): Promise<StateResult> {
  const spillDir = await mkdtemp(path.join(options.workDir, 'state-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      KAFKA_BROKERS: options.brokers.join(','),
      VIGIL_LOG_LEVEL: options.env.VIGIL_LOG_LEVEL ?? 'warn',
    };
    const profile = options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`, `--cpu-prof-name=state-${Date.now()}.cpuprofile`];
    const args = ['--expose-gc', ...profile, CHILD_ENTRY, '--template', options.templateFile, '--keys', String(options.keys), '--topic', options.topic, '--spill-dir', spillDir];
    const stdout = await runChild('state child', args, env, options.signal);
    const line = stdout.trim().split('\n').at(-1);
    if (!line) throw new BenchError('state child printed no result');
    return JSON.parse(line) as StateResult;
  } finally {
    await rm(spillDir, { recursive: true, force: true });
  }
}
