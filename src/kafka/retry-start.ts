import { setTimeout as sleep } from 'node:timers/promises';
import { isVigilError } from '../errors/vigil-error.js';

/**
 * Runs a start-up step again while it fails with a retryable error, for at most `budgetMs`: a topic
 * created a moment ago may not have a leader known to every broker yet ("not the leader for that
 * topic-partition"). Anything else, or the budget spent, throws the last error.
 */
export async function retryStart<T>(step: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 100; ; delay = Math.min(2_000, delay * 2)) {
    try {
      return await step();
    } catch (error) {
      if (!isVigilError(error) || !error.retryable || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}
