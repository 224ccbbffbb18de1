import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const CLI = path.resolve('bin/vigil.js');
/** This Node first on PATH, so `npm run` (and npm itself, a `#!/usr/bin/env node` script) use it. */
const PATH_WITH_THIS_NODE = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
const NPM = PATH_WITH_THIS_NODE.split(path.delimiter)
  .map((dir) => path.join(dir, 'npm'))
  .find((file) => existsSync(file));

export interface DemoExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * `vigil demo` as a terminal runs it: the leader of its own process group (detached), so a test
 * can do what Ctrl-C does, signal the whole group. KAFKA_BROKERS is removed, so the demo starts
 * its own local broker as a child, as on a user's machine. Every process it starts inherits
 * DEMO_TEST_MARKER, which is how `leftoverProcesses` finds any that outlive it.
 */
export class DemoProcess {
  readonly marker = randomUUID();
  stdout = '';
  stderr = '';
  private readonly child: ChildProcess;
  private readonly started = Date.now();
  readonly exited: Promise<DemoExit>;

  constructor(args: readonly string[], options: { dataDir: string; viaNpm?: boolean }) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      VIGIL_DATA_DIR: options.dataDir,
      VIGIL_API_PORT: '0',
      DEMO_TEST_MARKER: this.marker,
      PATH: PATH_WITH_THIS_NODE,
    };
    delete env.KAFKA_BROKERS;
    delete env.VIGIL_LOG_LEVEL;
    const demo = ['demo', '--receiver-port', '0', ...args];
    const [file, ...command] = options.viaNpm && NPM ? [NPM, 'run', '--silent', 'vigil', '--', ...demo] : [process.execPath, CLI, ...demo];
    this.child = spawn(file!, command, { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr, ms: Date.now() - this.started })),
    );
  }

  /** npm on PATH, for running the demo the way `npm start` does (npm -> sh -> node). */
  static npmAvailable(): boolean {
    return NPM !== undefined;
  }

  /** What a terminal's Ctrl-C does: SIGINT to every process of the foreground group. */
  interruptGroup(): void {
    process.kill(-this.child.pid!, 'SIGINT');
  }

  /** Resolves once `pattern` appears in stdout or stderr; fails if the demo exits first or the time is up. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    while (!pattern.test(this.stdout) && !pattern.test(this.stderr)) {
      if (done) throw new Error(`the demo exited before ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(200);
    }
  }

  /** Waits for the exit; past the limit it kills the group (so nothing leaks) and fails. */
  async exit(timeoutMs: number): Promise<DemoExit> {
    const cancel = new AbortController();
    const timeout = sleep(timeoutMs, 'timeout' as const, { signal: cancel.signal }).catch(() => 'cancelled' as const);
    const first = await Promise.race([this.exited, timeout]);
    cancel.abort();
    if (typeof first !== 'string') return first;
    this.killAll();
    throw new Error(`the demo had not exited ${timeoutMs} ms later:\n${this.tail()}`);
  }

  /** Pids of processes still carrying this demo's marker (the broker JVM, its watchdog, node). */
  leftoverProcesses(): number[] {
    return markedProcesses(this.marker);
  }

  /** Pids of this demo's broker JVM (a marked process running kafka.Kafka). */
  brokerPids(): number[] {
    return this.leftoverProcesses().filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').includes('kafka.Kafka');
      } catch {
        return false;
      }
    });
  }

  /** SIGKILL to the group and to every marked process: cleanup after a failed test. */
  killAll(): void {
    for (const pid of [-this.child.pid!, ...this.leftoverProcesses()]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Log lines at error level or above (pino JSON, level >= 50). */
  errorLines(): string[] {
    return this.stderr.split('\n').filter((line) => /^\{.*"level":(5\d|6\d)/.test(line));
  }

  private tail(): string {
    return `stdout:\n${this.stdout.slice(-3000)}\nstderr:\n${this.stderr.slice(-3000)}`;
  }
}

function markedProcesses(marker: string): number[] {
  const needle = `DEMO_TEST_MARKER=${marker}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** The numbers of the demo summary's "sent … processed … late … dead-lettered …" line. */
export function summaryCounts(stdout: string): { sent: number; processed: number; late: number; deadLettered: number; findings: number } | undefined {
  const counts = /sent (\d+) events \(\d+ labelled \w+\) · processed (\d+) · late (\d+) · dead-lettered (\d+)/.exec(stdout);
  const findings = /findings (\d+) · alerts/.exec(stdout);
  if (!counts || !findings) return undefined;
  return { sent: Number(counts[1]), processed: Number(counts[2]), late: Number(counts[3]), deadLettered: Number(counts[4]), findings: Number(findings[1]) };
}
