import type { Notification } from './notification.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';

export interface BreakerOptions {
  /** Consecutive failed attempts that open the circuit. */
  readonly failures: number;
  /** How long the circuit stays open before one trial attempt (half-open). */
  readonly cooldownMs: number;
  /** Wall clock in epoch ms (tests inject one). */
  readonly now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A per-receiver circuit breaker. While open, attempts fail at once with `circuit_open` and a
 * retry-after of the remaining cooldown: a dead receiver costs no connect or response timeouts,
 * and the delivery loop waits exactly until the trial attempt. After the cooldown one attempt goes
 * through (half-open): success closes the circuit, failure opens it again for another cooldown.
 * Concurrent attempts during half-open are refused, so only one trial probes the receiver.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Milliseconds until a trial attempt is allowed; 0 when an attempt may go now. */
  waitMs(): number {
    const state = this.state();
    if (state === 'closed') return 0;
    if (state === 'half-open') return this.trialInFlight ? this.options.cooldownMs : 0;
    return this.options.cooldownMs - (this.now() - this.openedAt!);
  }

  /** Claims the right to attempt; false while open (or while another half-open trial runs). */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  record(ok: boolean): void {
    this.trialInFlight = false;
    if (ok) {
      this.consecutiveFailures = 0;
      this.openedAt = undefined;
      return;
    }
    this.consecutiveFailures++;
    if (this.openedAt !== undefined || this.consecutiveFailures >= this.options.failures) this.openedAt = this.now();
  }
}

/** `notifier` guarded by `breaker`: the same shape, so retries and fallbacks do not know it is there. */
export function withCircuitBreaker(notifier: Notifier, breaker: CircuitBreaker): Notifier {
  return {
    name: notifier.name,
    type: notifier.type,
    async notify(notification: Notification): Promise<DeliveryOutcome> {
      if (!breaker.tryAcquire()) {
        return {
          ok: false,
          reason: 'circuit_open',
          retryable: true,
          latencyMs: 0,
          retryAfterMs: Math.max(1, breaker.waitMs()),
          error: `circuit open after repeated failures; next trial in ${Math.max(1, breaker.waitMs())}ms`,
        };
      }
      let outcome: DeliveryOutcome | undefined;
      try {
        outcome = await notifier.notify(notification);
        return outcome;
      } finally {
        // A 4xx the receiver answered quickly is the message's fault, not the receiver's health.
        breaker.record(outcome !== undefined && (outcome.ok || !outcome.retryable));
      }
    },
  };
}
