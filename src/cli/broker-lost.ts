import { setTimeout as delay } from 'node:timers/promises';
import { describeError, isVigilError } from '../errors/vigil-error.js';

/** How long the stages get to store what they can once the broker is gone, before the process exits. */
const CLOSE_LIMIT_MS = 5_000;

/**
 * When the local broker exits under a running command (killed, crashed), nothing can be consumed,
 * produced or committed any more, and every Kafka client would retry without end. This stops the
 * process promptly with one message: `close` gets a few seconds (the sink's rows carry their
 * offsets, so whatever it stores is not stored again, and the next run resumes from the last
 * commit), then the process exits with 3, the exit code of a dependency that is down.
 */
export function exitWhenBrokerLost(lost: AbortSignal, close: () => Promise<unknown>): void {
  const onLost = (): void => {
    const reason: unknown = lost.reason;
    const text = isVigilError(reason) ? `${reason.code}: ${reason.message}` : describeError(reason);
    process.stderr.write(`\nvigil: ${text}; stopping.\n`);
    void Promise.race([close().catch(() => undefined), delay(CLOSE_LIMIT_MS)]).finally(() => process.exit(3));
  };
  if (lost.aborted) onLost();
  else lost.addEventListener('abort', onLost, { once: true });
}
