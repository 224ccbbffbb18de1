import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const CLI = path.resolve('bin/vigil.js');

/** A `vigil run` in its own process, as a user or an orchestrator starts it. */
export class VigilProcess {
  private child: ChildProcess | undefined;
  /** The API URL it reported, when it runs the api service. */
  apiUrl: string | undefined;
  readonly log: string[] = [];

  constructor(
    private readonly args: readonly string[],
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /** Starts it and resolves once it logs that it is running. */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'run', ...this.args], {
      env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    const lines = createInterface({ input: child.stderr! });
    // For a failure that needs every line of every process (a test keeps only the last 500).
    const logDir = process.env.VIGIL_TEST_LOG_DIR;
    if (logDir) {
      const file = createWriteStream(path.join(logDir, `vigil-${child.pid}-${this.args.filter((a) => !a.includes('/')).join('_').replace(/[^\w.,-]+/g, '_')}.log`));
      lines.on('line', (line) => file.write(`${line}\n`));
      child.once('exit', () => file.end());
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vigil run ${this.args.join(' ')} did not start in ${timeoutMs} ms:\n${this.log.slice(-20).join('\n')}`)), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`vigil run exited (${signal ?? code}) before it was running:\n${this.log.slice(-20).join('\n')}`));
      });
      lines.on('line', (line) => {
        this.log.push(line);
        if (this.log.length > 500) this.log.shift();
        if (!line.includes('vigil is running')) return;
        clearTimeout(timer);
        this.apiUrl = (JSON.parse(line) as { api?: string }).api;
        resolve();
      });
    });
  }

  /** The running process's id (undefined before start and after a stop). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGKILL: no shutdown hooks, no final commits, exactly like a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: a clean stop. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    // A process that does not finish a clean stop in time is killed, so a test never hangs on it.
    const stuck = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(stuck);
  }
}
