import type { Alert } from '../model/records.js';
import type { AlertExplanation } from './alert-explanation.js';

export type NotificationStatus = 'firing' | 'resolved';

/**
 * What a receiver is sent: one alert, firing or resolved, with its explanation. `id` is the
 * webhook-id and is stable across retries and restarts (the alert id for firing; derived from it
 * for resolved), so receivers can deduplicate on it.
 */
export interface Notification {
  readonly id: string;
  readonly status: NotificationStatus;
  readonly alert: Alert;
  readonly explanation: AlertExplanation;
  /**
   * Set for a grouped route: every firing alert of the group and those resolved since its last
   * notification. `alert` is then the group's most recent alert (the one explained).
   */
  readonly group?: NotificationGroup;
}

export interface NotificationGroup {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly firing: readonly Alert[];
  readonly resolved: readonly Alert[];
}

/** A notification that the alert fired. */
export function firing(alert: Alert, explanation: AlertExplanation): Notification {
  return { id: alert.id, status: 'firing', alert, explanation };
}

/** A notification that the condition behind the alert cleared. */
export function resolved(alert: Alert, explanation: AlertExplanation): Notification {
  return { id: `${alert.id}.resolved`, status: 'resolved', alert, explanation };
}

/** A group's notification: `id` from the grouper (deterministic), led by its newest alert. */
export function grouped(
  flush: { id: string; status: NotificationStatus; key: string; labels: Readonly<Record<string, string>>; firing: readonly Alert[]; resolved: readonly Alert[] },
  explain: (alert: Alert) => AlertExplanation,
): Notification {
  const lead = flush.firing.at(-1) ?? flush.resolved.at(-1);
  if (!lead) throw new Error('a group notification needs at least one alert');
  return {
    id: flush.id,
    status: flush.status,
    alert: lead,
    explanation: explain(lead),
    group: { key: flush.key, labels: flush.labels, firing: flush.firing, resolved: flush.resolved },
  };
}
