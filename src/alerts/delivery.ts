import { setTimeout as delay } from 'node:timers/promises';
import type { Notification } from './notification.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';
import { retryDelay, type BackoffPolicy } from './retry-policy.js';

export interface DeliveryOptions {
  /** Total attempts including the first (the receiver's `maxAttempts`). */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** Waits `ms`; must settle early when `signal` aborts. Default: node:timers/promises. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Shutdown: stops the wait between attempts (an attempt in flight finishes, bounded by its timeout). */
  readonly signal?: AbortSignal;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
  /**
   * Called after every attempt (1-based) with when it started (epoch ms) and whether another
   * attempt follows, e.g. to count outcomes and log them. Must not throw.
   */
  readonly onAttempt?: (outcome: DeliveryOutcome, attempt: number, startedAt: number, willRetry: boolean) => void;
  /** Stops retrying after an outcome this returns true for (e.g. to hand over to a fallback). */
  readonly giveUp?: (outcome: DeliveryOutcome) => boolean;
  /** Wall clock for `startedAt`. Default Date.now. */
  readonly now?: () => number;
}

/**
 * - delivered: a receiver accepted it; commit.
 * - aborted: shutdown interrupted delivery; do NOT commit, the alert is re-read on restart
 *   (receivers deduplicate on webhook-id).
 * - neither: attempts exhausted or a non-retryable outcome; dead-letter it with the last outcome.
 */
export interface DeliveryResult {
  readonly delivered: boolean;
  readonly aborted: boolean;
  readonly attempts: readonly DeliveryOutcome[];
}

/**
 * The one place delivery is retried: attempts `notifier.notify` until it succeeds, an outcome is
 * not retryable, `maxAttempts` is reached or `signal` aborts. Waits between attempts use
 * full-jitter backoff, or the receiver's Retry-After when it sent one. Never rejects for delivery
 * failures.
 */
export async function deliverWithRetries(notifier: Notifier, notification: Notification, options: DeliveryOptions): Promise<DeliveryResult> {
  const { maxAttempts, backoff, signal, random, onAttempt } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const attempts: DeliveryOutcome[] = [];
  const result = (delivered: boolean, aborted: boolean): DeliveryResult => ({ delivered, aborted, attempts });

  for (let attempt = 1; attempt <= Math.max(1, maxAttempts); attempt++) {
    if (signal?.aborted) return result(false, true);
    const startedAt = now();
    const outcome = await notifier.notify(notification);
    attempts.push(outcome);
    const willRetry = !outcome.ok && outcome.retryable && attempt < maxAttempts && !(options.giveUp?.(outcome) ?? false);
    onAttempt?.(outcome, attempt, startedAt, willRetry);
    if (outcome.ok) return result(true, false);
    if (!willRetry) break;

    const wait = retryDelay(backoff, attempt - 1, outcome.retryAfterMs, random);
    try {
      await sleep(wait, signal);
    } catch (error) {
      if (signal?.aborted) return result(false, true);
      throw error;
    }
  }
  return result(false, false);
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}
