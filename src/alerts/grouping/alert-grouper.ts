import { createHash } from 'node:crypto';
import type { Alert } from '../../model/records.js';
import { alertLabels } from '../../model/template/alert-labels.js';
import type { GroupTiming } from '../../model/template/route.config.js';

/** Where an alert was read from, so its offset stays uncommitted while a group needs it. */
export interface AlertSource {
  readonly partition: number;
  readonly offset: bigint;
}

/** One notification of a group: every firing alert, and the alerts resolved since the last one. */
export interface GroupFlush {
  /** Deterministic: the same group content (and repeat count) always gets the same webhook-id. */
  readonly id: string;
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: 'firing' | 'resolved';
  readonly firing: readonly Alert[];
  readonly resolved: readonly Alert[];
  /** Event time the flush was due. */
  readonly at: number;
}

interface Member {
  alert: Alert;
  /** Event time from which the alert counts as cleared unless its fingerprint fires again. */
  until: number;
  /**
   * Where the member's latest alert was read: re-reading from there rebuilds the member as it is
   * (same alert, same `until`), so an entity that keeps firing does not pin its first alert forever.
   */
  source: AlertSource | undefined;
}

interface Group {
  readonly key: string;
  readonly labels: Record<string, string>;
  readonly members: Map<string, Member>;
  resolved: Member[];
  nextFlushAt: number | undefined;
  lastFlushAt: number | undefined;
  /** Fingerprints in the last notification. */
  notified: Set<string>;
  lastContent: string;
  repeats: number;
}

/**
 * Alertmanager-style grouping for one route and receiver, in event time: callers feed alerts
 * (`add`) and ask what is due at a time (`due`), which they take from an EventClock. A group's
 * first notification waits groupWait; later changes (new alerts, resolved ones) go out at most
 * every groupInterval; an unchanged firing group repeats every repeatInterval; an alert that was
 * notified and whose fingerprint did not fire again for resolveAfter after its window is resolved.
 * Pure and deterministic: the same alerts and times give the same flushes and ids, so after a
 * restart the state is rebuilt by re-reading from `pinnedOffsets` and receivers deduplicate.
 */
export class AlertGrouper {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly timing: GroupTiming,
    /** Distinguishes groupers (route and receiver) in ids. */
    private readonly scope: string,
  ) {}

  add(alert: Alert, source?: AlertSource): void {
    const labels = alertLabels(alert);
    const groupLabels = Object.fromEntries(this.timing.groupBy.map((name) => [name, labels[name]]));
    const key = JSON.stringify(this.timing.groupBy.map((name) => labels[name]));
    const time = alert.finding.time;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, labels: groupLabels, members: new Map(), resolved: [], nextFlushAt: time + this.timing.groupWait, lastFlushAt: undefined, notified: new Set(), lastContent: '', repeats: 0 };
      this.groups.set(key, group);
    }
    const until = Math.max(time, alert.finding.window_end) + this.timing.resolveAfter;
    const member = group.members.get(alert.fingerprint);
    if (member) {
      if (time >= member.alert.finding.time) {
        member.alert = alert;
        member.source = source ?? member.source;
      }
      member.until = Math.max(member.until, until);
    } else {
      group.members.set(alert.fingerprint, { alert, until, source });
      // Fired again before its resolution went out: it never cleared.
      group.resolved = group.resolved.filter((old) => old.alert.fingerprint !== alert.fingerprint);
      if (!group.notified.has(alert.fingerprint) && group.lastFlushAt !== undefined) this.schedule(group, group.lastFlushAt + this.timing.groupInterval);
    }
  }

  /** Advances to event time `now` and returns the notifications due by then, oldest first. */
  due(now: number): GroupFlush[] {
    const flushes: GroupFlush[] = [];
    for (const group of [...this.groups.values()]) {
      // A few rounds: resolving can schedule a flush that is already due.
      for (let round = 0; round < 4; round++) {
        this.expire(group, now);
        if (group.nextFlushAt === undefined && group.members.size > 0 && group.lastFlushAt !== undefined) {
          this.schedule(group, group.lastFlushAt + this.timing.repeatInterval);
        }
        if (group.nextFlushAt === undefined || group.nextFlushAt > now) break;
        flushes.push(this.flush(group, group.nextFlushAt));
        if (group.members.size === 0) {
          this.groups.delete(group.key);
          break;
        }
      }
    }
    return flushes.sort((a, b) => a.at - b.at);
  }

  /** The earliest event time at which something may become due. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const group of this.groups.values()) {
      const candidates = [group.nextFlushAt, ...[...group.members.values()].filter((m) => group.notified.has(m.alert.fingerprint)).map((m) => m.until)];
      if (group.lastFlushAt !== undefined && group.members.size > 0) candidates.push(group.lastFlushAt + this.timing.repeatInterval);
      for (const at of candidates) if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Groups whose first notification has not gone out yet (they wait out groupWait). */
  awaitingFirstNotification(): number {
    let count = 0;
    for (const group of this.groups.values()) if (group.lastFlushAt === undefined && group.members.size > 0) count += 1;
    return count;
  }

  /** Per partition, the lowest offset a group still needs (commit no further than this). */
  pinnedOffsets(): Map<number, bigint> {
    const pins = new Map<number, bigint>();
    for (const group of this.groups.values()) {
      for (const member of [...group.members.values(), ...group.resolved]) {
        const source = member.source;
        if (!source) continue;
        const pin = pins.get(source.partition);
        if (pin === undefined || source.offset < pin) pins.set(source.partition, source.offset);
      }
    }
    return pins;
  }

  /** Forgets alerts read from these partitions (revoked: their new owner rebuilds them). */
  dropPartitions(partitions: ReadonlySet<number>): void {
    for (const group of [...this.groups.values()]) {
      for (const [fp, member] of group.members) if (member.source && partitions.has(member.source.partition)) group.members.delete(fp);
      group.resolved = group.resolved.filter((member) => !(member.source && partitions.has(member.source.partition)));
      if (group.members.size === 0 && group.resolved.length === 0) this.groups.delete(group.key);
    }
  }

  private expire(group: Group, now: number): void {
    for (const [fp, member] of group.members) {
      // Only what was notified can be resolved; the rest goes out as firing first.
      if (member.until > now || !group.notified.has(fp)) continue;
      group.members.delete(fp);
      group.resolved.push(member);
      // Sent when it cleared, but never sooner than groupInterval after the last notification.
      this.schedule(group, Math.max(member.until, (group.lastFlushAt ?? member.until) + this.timing.groupInterval));
    }
  }

  private schedule(group: Group, at: number): void {
    if (group.nextFlushAt === undefined || at < group.nextFlushAt) group.nextFlushAt = at;
  }

  private flush(group: Group, at: number): GroupFlush {
    const byTime = (a: Alert, b: Alert) => a.finding.time - b.finding.time || a.id.localeCompare(b.id);
    const firing = [...group.members.values()].map((m) => m.alert).sort(byTime);
    const resolved = group.resolved.map((m) => m.alert).sort(byTime);
    const status = firing.length > 0 ? 'firing' : 'resolved';
    const content = JSON.stringify([status, firing.map((a) => a.id), resolved.map((a) => a.id)]);
    group.repeats = content === group.lastContent ? group.repeats + 1 : 0;
    group.lastContent = content;
    const id = `grp_${createHash('sha256').update(JSON.stringify([this.scope, group.key, content, group.repeats])).digest('hex').slice(0, 24)}`;
    group.notified = new Set(firing.map((a) => a.fingerprint));
    group.lastFlushAt = at;
    group.nextFlushAt = undefined;
    group.resolved = [];
    return { id, key: group.key, labels: group.labels, status, firing, resolved, at };
  }
}
