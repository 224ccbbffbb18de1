import type { Logger } from '../logging/logger.js';
import type { RebalanceListener, TopicPartition } from './kafka.types.js';

/**
 * Runs a RebalanceListener's calls one after another, in rebalance order (onRevoked before
 * onAssigned), and lets the batch path wait for them: `settled()` resolves once every call made so
 * far has finished, so no batch of a newly assigned partition starts before onAssigned completed.
 *
 * A failing onRevoked is logged and forgotten (the partitions are gone either way). A failing
 * onAssigned is kept in `assignFailure` until `reset()` (the consumer restarted and everything is
 * assigned afresh): until then the consumer must not hand out batches.
 */
export class RebalanceNotifier {
  private pending: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly listener: RebalanceListener | undefined,
    private readonly log: Logger | undefined,
  ) {}

  notify(revoked: readonly TopicPartition[], assigned: readonly TopicPartition[]): void {
    const listener = this.listener;
    if (!listener || (revoked.length === 0 && assigned.length === 0)) return;
    this.pending = this.pending.then(async () => {
      if (revoked.length > 0 && listener.onRevoked) {
        try {
          await listener.onRevoked(revoked);
        } catch (error) {
          this.log?.error({ err: error, revoked }, 'onRevoked failed');
        }
      }
      if (assigned.length > 0 && listener.onAssigned) {
        try {
          await listener.onAssigned(assigned);
        } catch (error) {
          this.failure = { error };
          this.log?.error({ err: error, assigned }, 'onAssigned failed; batches are held back until the consumer restarts');
        }
      }
    });
  }

  /** Resolves when all listener calls so far have finished (never rejects). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** The onAssigned failure that holds batches back, if any. */
  assignFailure(): { readonly error: unknown } | undefined {
    return this.failure;
  }

  reset(): void {
    this.failure = undefined;
  }
}
