import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from './measurement.js';

export interface ChildExit {
  readonly code: number | null;
  readonly killedBy: NodeJS.Signals | null;
  /** Set when spawning failed or the spawn's AbortSignal fired. */
  readonly error?: Error;
}

/**
 * Resolves once the child is really gone: 'close' follows 'exit', and also follows 'error' when
 * the spawn failed or was aborted, so a caller can remove the child's files right after.
 */
export function exited(child: ChildProcess): Promise<ChildExit> {
  return new Promise((resolve) => {
    let error: Error | undefined;
    child.once('error', (e) => (error = e));
    child.once('close', (code, killedBy) => resolve(error === undefined ? { code, killedBy } : { code, killedBy, error }));
  });
}

/**
 * Runs a bench child (`node <args>`) and resolves with its stdout once it exited; rejects on a
 * spawn error or abort. A non-zero exit with output is left to the caller, whose child reports
 * its own failure in its result line.
 */
export async function runChild(name: string, args: readonly string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string> {
  const child = spawn(process.execPath, [...args], { env, stdio: ['pipe', 'pipe', 'inherit'], signal, killSignal: 'SIGKILL' });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  const exit = await exited(child);
  if (signal.aborted) throw new BenchError(`${name}: aborted or timed out`, { cause: signal.reason });
  if (exit.error) throw new BenchError(`${name} could not run: ${exit.error.message}`, { cause: exit.error });
  if (exit.code !== 0 && !stdout.trim()) throw new BenchError(`${name} exited with ${exit.code ?? exit.killedBy} and no result (see its log above)`);
  return stdout;
}

/**
 * Runs a bench child that prints one JSON result line (`{ ok, error?, … }`) with a fresh
 * VIGIL_DATA_DIR (a temp dir with the embedded ClickHouse, removed afterwards whatever happens) and
 * the brokers, and returns that result; a child that printed nothing or reported a failure throws.
 */
export async function runResultChild<T extends { readonly ok: boolean; readonly error?: string }>(
  name: string,
  args: readonly string[],
  options: { readonly brokers: readonly string[]; readonly env: NodeJS.ProcessEnv; readonly signal: AbortSignal; readonly dataDirPrefix: string },
): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), options.dataDirPrefix));
  try {
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      KAFKA_BROKERS: options.brokers.join(','),
      VIGIL_DATA_DIR: dataDir,
      VIGIL_LOG_LEVEL: options.env.VIGIL_LOG_LEVEL ?? 'warn',
    };
    const stdout = await runChild(name, args, env, options.signal);
    const line = stdout.trim().split('\n').at(-1);
    if (!line) throw new BenchError(`${name} printed no result`);
    const result = JSON.parse(line) as T;
    if (!result.ok) throw new BenchError(`${name} failed: ${result.error ?? 'unknown error'}`);
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
