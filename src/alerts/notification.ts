import type { Alert } from '../runtime/records.js';
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
}

/** A notification that the alert fired. */
export function firing(alert: Alert, explanation: AlertExplanation): Notification {
  return { id: alert.id, status: 'firing', alert, explanation };
}

/** A notification that the condition behind the alert cleared. */
export function resolved(alert: Alert, explanation: AlertExplanation): Notification {
  return { id: `${alert.id}.resolved`, status: 'resolved', alert, explanation };
}
