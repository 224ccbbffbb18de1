/**
 * The notifications this process delivered lately, per receiver. A notification's id is its
 * webhook-id and is deterministic, so the same id is the same notification: when notify reads
 * alerts again that it already delivered (its offset commit failed while the group coordinator
 * moved, or a rebalance handed its partitions back), it skips them instead of relying on every
 * receiver to deduplicate. A bounded memory: older ids fall out, and after a restart the
 * receiver's deduplication on webhook-id remains the guarantee.
 */
export class RecentDeliveries {
  private readonly ids = new Map<string, Set<string>>();

  constructor(private readonly perReceiver = 50_000) {}

  has(receiver: string, id: string): boolean {
    return this.ids.get(receiver)?.has(id) ?? false;
  }

  add(receiver: string, id: string): void {
    let ids = this.ids.get(receiver);
    if (!ids) this.ids.set(receiver, (ids = new Set()));
    ids.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (ids.size > this.perReceiver) ids.delete(ids.values().next().value!);
  }
}
