import { severityRank, type Alert } from '../model/records.js';
import { alertLabels } from '../model/template/alert-labels.js';
import type { InhibitionSpec } from '../model/template/inhibition.config.js';

interface ActiveAlert {
  readonly id: string;
  readonly rank: number;
  readonly from: number;
  readonly until: number;
}

/**
 * Decides inhibition in event time. `observe` every alert as it is processed (suppressed or not:
 * a silenced critical alert still means the entity is in trouble); `inhibitedBy` names the active
 * higher-severity alert that suppresses this one, if any. Memory: per `equal` key, only the
 * highest-ranked active alert per severity is kept, and keys are dropped once nothing is active
 * at the latest event time seen.
 *
 * Scope: alerts this process sees. Alerts are keyed by entity on Kafka, so with the default
 * `equal` (template, entity) every alert that could inhibit another reaches the same partition.
 * An inhibiting alert processed AFTER the lower one cannot recall it.
 */
export class Inhibitor {
  private readonly active = new Map<string, ActiveAlert[]>();
  private latest = Number.NEGATIVE_INFINITY;
  private observed = 0;

  constructor(private readonly spec: InhibitionSpec) {}

  inhibitedBy(alert: Alert): string | undefined {
    if (!this.spec.enabled) return undefined;
    const rank = severityRank(alert.finding.severity);
    const time = alert.finding.time;
    const candidates = this.active.get(this.key(alert)) ?? [];
    return candidates.find((source) => source.rank > rank && source.from <= time && time < source.until)?.id;
  }

  observe(alert: Alert): void {
    if (!this.spec.enabled) return;
    const f = alert.finding;
    const entry: ActiveAlert = { id: alert.id, rank: severityRank(f.severity), from: f.time, until: Math.max(f.time, f.window_end) + this.spec.activeFor };
    const key = this.key(alert);
    const list = (this.active.get(key) ?? []).filter((other) => other.rank !== entry.rank || other.until > entry.until);
    if (!list.some((other) => other.rank === entry.rank)) list.push(entry);
    this.active.set(key, list);
    this.latest = Math.max(this.latest, f.time);
    if (++this.observed % 1000 === 0) this.evict();
  }

  /** Number of keys with state (for tests and metrics). */
  size(): number {
    return this.active.size;
  }

  evict(): void {
    for (const [key, list] of this.active) {
      const live = list.filter((entry) => entry.until > this.latest);
      if (live.length === 0) this.active.delete(key);
      else this.active.set(key, live);
    }
  }

  private key(alert: Alert): string {
    const labels = alertLabels(alert);
    return JSON.stringify(this.spec.equal.map((name) => labels[name]));
  }
}
