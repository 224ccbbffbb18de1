import { VigilError, describeError } from '../errors/vigil-error.js';

/**
 * kafkajs errors become VigilError('VIGIL_KAFKA') with `retryable` from kafkajs' own `retriable`
 * flag. "Number of retries exceeded" is kafkajs giving up on a transient fault (broker down,
 * coordinator loading), so whether a later retry can help is decided by the underlying cause.
 */
export function toVigilKafkaError(error: unknown, action: string): VigilError {
  if (error instanceof VigilError) return error;
  return new VigilError('VIGIL_KAFKA', `${action}: ${describeError(error)}`, {
    retryable: isRetryable(error),
    cause: error,
  });
}

/** Runs one kafkajs call, mapping whatever it throws. */
export async function kafkaCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toVigilKafkaError(error, action);
  }
}

interface KafkajsErrorShape {
  readonly name?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
}

function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && typeof current === 'object' && current !== null; depth++) {
    const e = current as KafkajsErrorShape;
    if (e.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause !== undefined && e.cause !== current) {
      current = e.cause;
      continue;
    }
    return e.retriable === true;
  }
  return false;
}
