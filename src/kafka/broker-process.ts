import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A broker JVM owned by this Node process, and the guarantees that it does not outlive it:
 *  - it runs in its own session (detached), so a terminal's Ctrl-C, which signals the whole
 *    foreground process group, reaches only Vigil: Vigil stops its stages first, then the broker,
 *    instead of losing the broker under stages that are still finishing their batches;
 *  - stop(): SIGTERM, wait for exit (SIGKILL after a timeout), remove the temp dir;
 *  - a normal process exit (even without stop()): SIGKILL and remove the temp dir, synchronously;
 *  - this process killed outright (SIGKILL, OOM): a tiny `sh` watchdog holds the read end of a pipe
 *    whose write end only we hold; the kernel closes it when we die, the watchdog's `read` returns
 *    and it kills the broker and removes the temp dir. No polling, nothing to configure.
 */

const WATCHDOG_SCRIPT = [
  'read -r _',
  'kill -KILL "$1" 2>/dev/null',
  'i=0; while kill -0 "$1" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
  'rm -rf "$2"',
].join('; ');

export interface BrokerProcess {
  /** Undefined when the spawn itself failed (then `exited` reports why). */
  readonly pid: number | undefined;
  /** Resolves with the exit code (or signal name) whenever the JVM exits. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** SIGKILL now, for a broker that failed to start; stop() still cleans up. */
  kill(): void;
  /** Idempotent; resolves when the JVM is gone and `dir` is removed. */
  stop(): Promise<void>;
  /**
   * For a JVM that has exited and whose dir a restarted JVM takes over: drops the watchdog and the
   * exit hook without removing the dir (the new process owns its clean-up).
   */
  release(): void;
}

export interface SpawnBrokerOptions {
  readonly args: readonly string[];
  /** The broker's temp dir (data, config, log); removed on stop. */
  readonly dir: string;
  readonly logFile: string;
  readonly stopTimeoutMs?: number;
  /** Called when the JVM exits without stop() having been called. */
  onUnexpectedExit?(exit: string): void;
}

export function spawnBroker(options: SpawnBrokerOptions): BrokerProcess {
  const logFd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', [...options.args], { stdio: ['ignore', logFd, logFd], detached: true });
  } finally {
    closeSync(logFd);
  }

  let exit: string | undefined;
  let stopping = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      // spawn failures (java not on PATH) arrive here instead of 'exit'.
      exit ??= `spawn error: ${error.message}`;
      resolve(exit);
    });
    child.once('exit', (code, signal) => {
      exit ??= code === null ? String(signal) : `code ${code}`;
      resolve(exit);
      if (!stopping) options.onUnexpectedExit?.(exit);
    });
  });

  const pid = child.pid;
  const watchdog = pid === undefined ? undefined : startWatchdog(pid, options.dir);
  const killOnExit = (): void => {
    try {
      if (pid !== undefined && exit === undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(options.dir, { recursive: true, force: true });
  };
  // The JVM child keeps the event loop alive on purpose (`vigil broker` just waits for a signal).
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      process.off('exit', killOnExit);
      watchdog?.kill('SIGKILL');
      if (exit === undefined) {
        child.kill('SIGTERM');
        const cancel = new AbortController();
        const timeout = delay(options.stopTimeoutMs ?? 20_000, 'timeout' as const, { signal: cancel.signal }).catch(
          () => 'cancelled' as const,
        );
        const first = await Promise.race([exited, timeout]);
        cancel.abort();
        if (first === 'timeout') child.kill('SIGKILL');
        await exited;
      }
      await fs.rm(options.dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const kill = (): void => {
    if (exit === undefined) child.kill('SIGKILL');
  };
  const release = (): void => {
    stopping = true;
    process.off('exit', killOnExit);
    watchdog?.kill('SIGKILL');
  };
  return { pid, exited, hasExited: () => exit !== undefined, kill, stop, release };
}

function startWatchdog(brokerPid: number, dir: string): ChildProcess | undefined {
  try {
    // Detached like the broker: a Ctrl-C must not end the watchdog while the broker lives on.
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'vigil-kafka-watchdog', String(brokerPid), dir], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.on('error', () => undefined); // best effort: the exit hook still covers normal exits
    const stdin = watchdog.stdin as Socket | null;
    stdin?.on('error', () => undefined);
    stdin?.unref();
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}
