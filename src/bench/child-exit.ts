import { spawn, type ChildProcess } from 'node:child_process';
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
