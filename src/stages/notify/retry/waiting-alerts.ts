import type { Gauge } from 'prom-client';

/**
 * Which notifications wait on the retry topic, per receiver (by webhook-id, so the dispatcher
 * queuing one and the worker reading it back count once). The dispatcher sends a receiver's new
 * alerts behind its waiting ones while there are any, so a receiver gets its alerts in order; the
 * gauge `vigil_alerts_waiting` shows the counts.
 */
export class WaitingAlerts {
  private readonly byReceiver = new Map<string, Set<string>>();

  constructor(private readonly gauge?: Pick<Gauge<'receiver'>, 'set'>) {}

  add(receiver: string, id: string): void {
    const ids = this.byReceiver.get(receiver) ?? new Set<string>();
    this.byReceiver.set(receiver, ids);
    ids.add(id);
    this.gauge?.set({ receiver }, ids.size);
  }

  remove(receiver: string, id: string): void {
    const ids = this.byReceiver.get(receiver);
    if (!ids?.delete(id)) return;
    this.gauge?.set({ receiver }, ids.size);
  }

  has(receiver: string): boolean {
    return (this.byReceiver.get(receiver)?.size ?? 0) > 0;
  }

  count(receiver: string): number {
    return this.byReceiver.get(receiver)?.size ?? 0;
  }

  /** Forgets everything (the retry partition was revoked: its new owner counts them). */
  clear(): void {
    for (const receiver of this.byReceiver.keys()) this.gauge?.set({ receiver }, 0);
    this.byReceiver.clear();
  }
}
