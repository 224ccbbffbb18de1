import type { Severity } from '../../model/records.js';
import type { Notification } from '../notification.js';

/** PagerDuty's four severities (Events API v2 `payload.severity`). */
const SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

/**
 * A notification as a PagerDuty Events API v2 event
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). `dedup_key` is the alert
 * fingerprint (template, detector, entity), so repeated alerts about one entity update one
 * incident and `resolve` closes it. The routing key is added by the notifier.
 */
export function pagerDutyEvent(notification: Notification): PagerDutyEvent {
  const { alert, explanation } = notification;
  if (notification.status === 'resolved') return { event_action: 'resolve', dedup_key: alert.fingerprint };
  const f = alert.finding;
  return {
    event_action: 'trigger',
    dedup_key: alert.fingerprint,
    payload: {
      summary: truncate(`${f.title} (${alert.template}/${f.detector}, ${f.entity})`, 1024),
      source: `vigil/${alert.template}`,
      severity: SEVERITY[f.severity],
      timestamp: new Date(f.time).toISOString(),
      component: f.entity,
      group: alert.template,
      class: f.detector,
      custom_details: {
        alert_id: alert.id,
        detector: explanation.detector,
        window: { start: new Date(f.window_start).toISOString(), end: new Date(f.window_end).toISOString() },
        comparisons: explanation.comparisons,
        event_ids: explanation.event_ids,
        sql: explanation.sql,
      },
    },
    links: [{ href: explanation.dashboard_url, text: 'Vigil dashboard' }],
    client: 'Vigil',
    client_url: explanation.dashboard_url,
  };
}

export type PagerDutyEvent =
  | { readonly event_action: 'resolve'; readonly dedup_key: string }
  | {
      readonly event_action: 'trigger';
      readonly dedup_key: string;
      readonly payload: Readonly<Record<string, unknown>>;
      readonly links: readonly { href: string; text: string }[];
      readonly client: string;
      readonly client_url: string;
    };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
