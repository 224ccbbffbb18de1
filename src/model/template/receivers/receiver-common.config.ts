import { z } from 'zod';
import { duration, nonNegativeDuration } from '../duration.js';

const receiverName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name');

/** Fields every receiver type has; each type's schema spreads them. */
export const receiverCommonFields = {
  name: receiverName,
  timeout: duration.prefault('5s'),
  /** Attempts before the alert is dead-lettered; delivery never gives up silently. */
  maxAttempts: z.number().int().min(1).max(1000).default(8),
  /**
   * How long an alert this receiver (and its fallback) failed waits on `<alerts>.retry` for it to
   * come back, probed whenever its circuit breaker allows, before it is dead-lettered. `0s`
   * dead-letters at once, as before receivers healed themselves.
   */
  retryFor: nonNegativeDuration.prefault('6h'),
  /** Another receiver that gets the alert when this one fails it (retries spent or circuit open). */
  fallback: receiverName.optional(),
  /** Waits between attempts: full jitter up to `initial`·2^retry, capped at `max` (a Retry-After wins). */
  backoff: z
    .strictObject({
      initial: duration.prefault('500ms'),
      max: duration.prefault('30s'),
    })
    .prefault({}),
  /**
   * Storm guard: at most `max` alerts per `per` (event time) to this receiver; the rest are held
   * back and summarised in one digest alert after the window.
   */
  rateLimit: z.strictObject({ max: z.number().int().min(1), per: duration }).optional(),
  /**
   * Per-receiver circuit breaker: after `failures` consecutive failed attempts the receiver is
   * not called for `cooldown`, so a dead receiver costs no timeouts; then one trial attempt.
   * While it is open, alerts for this receiver go to its fallback, or with `whenOpen:
   * dead-letter` (the default, a historical name) at once to the retry topic, where they wait
   * for the receiver to come back (see `retryFor`), so a dead receiver does not hold back alerts
   * for the others; `whenOpen: wait` keeps retrying them in place up to `maxAttempts` instead,
   * and their partition waits meanwhile.
   */
  breaker: z
    .strictObject({
      failures: z.number().int().min(1).default(5),
      cooldown: duration.prefault('30s'),
      whenOpen: z.enum(['dead-letter', 'wait']).default('dead-letter'),
    })
    .prefault({}),
};
