import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited } from './child-exit.js';

const VIGIL_BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
const STOP_GRACE_MS = 15_000;

/**
 * The stages of a template as docker-compose deploys them: `vigil run --services <stage>`, one
 * process per stage. Logs go to our stderr. Stopping sends SIGTERM (a clean close, as
 * `docker compose stop` does) and SIGKILL after a grace period.
 */
export class StageProcesses {
  private readonly children: ChildProcess[] = [];
  private readonly stages: readonly string[];
  private readonly killAll = () => {
    for (const child of this.children) child.kill('SIGKILL');
  };

  constructor(templateFile: string, stages: readonly string[], env: NodeJS.ProcessEnv) {
    // If this process dies first, the stages must not outlive it.
    process.once('exit', this.killAll);
    this.stages = stages;
    for (const stage of stages) {
      this.children.push(spawn(process.execPath, [VIGIL_BIN, 'run', '--template', templateFile, '--services', stage], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    }
  }

  /** Pid of each stage's process, for CPU accounting by the caller; a stage's second process is `detect#2`. */
  pids(): Record<string, number> {
    const seen = new Map<string, number>();
    return Object.fromEntries(
      this.children.flatMap((c, i) => {
        const stage = this.stages[i]!;
        const n = (seen.get(stage) ?? 0) + 1;
        seen.set(stage, n);
        return c.pid === undefined ? [] : [[n === 1 ? stage : `${stage}#${n}`, c.pid]];
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exit = exited(child);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exit;
        clearTimeout(timer);
      }),
    );
    process.off('exit', this.killAll);
  }
}
