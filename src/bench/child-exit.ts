import type { ChildProcess } from 'node:child_process';

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
