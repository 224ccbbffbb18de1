/** How long one reader took to get through the whole topic. */
export interface ConsumeMeasurement {
  readonly name: string;
  readonly messages: number;
  /** From starting the client (process start, connect, group join) until the last message. */
  readonly seconds: number;
  /** From the first message to the last: the rate once data flows, without start-up. */
  readonly flowSeconds: number;
  /** messages / seconds: what the ratios compare. */
  readonly rate: number;
  readonly flowRate: number;
  /** CPU time of this process while measuring (in-process clients only; kcat runs apart). */
  readonly cpuSeconds?: number;
}

/** Times are performance.now() milliseconds. */
export function consumeMeasurement(
  name: string,
  messages: number,
  times: { readonly startedAt: number; readonly firstAt: number; readonly doneAt: number },
  cpu?: NodeJS.CpuUsage,
): ConsumeMeasurement {
  const { startedAt, firstAt, doneAt } = times;
  const seconds = (doneAt - startedAt) / 1000;
  const flowSeconds = (doneAt - firstAt) / 1000;
  return {
    name,
    messages,
    seconds: round(seconds, 3),
    flowSeconds: round(flowSeconds, 3),
    rate: Math.round(messages / seconds),
    flowRate: flowSeconds > 0 ? Math.round(messages / flowSeconds) : 0,
    ...(cpu === undefined ? {} : { cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2) }),
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Bytes as MiB, to one decimal. */
export function mib(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}

/** A measurement that could not complete (timeout, wrong count, child failure). */
export class BenchError extends Error {
  override readonly name = 'BenchError';
}

/**
 * Resolves when `done` does; rejects with a BenchError naming `what` when `signal` aborts first
 * (timeout or Ctrl-C). The caller still owns closing whatever `done` was waiting on.
 */
export function untilDone<T>(done: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    done.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new BenchError(`${what}: ${String(error)}`));
      },
    );
  });
}

function abortError(signal: AbortSignal, what: string): BenchError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return new BenchError(`${what}: ${timedOut ? 'timed out' : 'aborted'}`, { cause: reason });
}
