import { z } from 'zod';
import { SEVERITIES, type Alert } from '../model/records.js';
import type { Notification } from './notification.js';

/**
 * The JSON body Vigil POSTs for an alert. This is a public contract: receivers parse it, so fields
 * are only ever added (never renamed, retyped or removed) within a `version`; anything else bumps
 * `version`. Times are ISO-8601 UTC strings (records use epoch ms internally).
 *
 * Example:
 * {
 *   "version": 1, "type": "vigil.alert", "id": "a-…", "status": "firing", "fingerprint": "3f9c0a1b2c3d4e5f",
 *   "template": "finance", "created_at": "2025-01-01T12:00:05.000Z",
 *   "finding": {
 *     "id": "f-…", "detector": "card_velocity", "detector_type": "velocity", "detector_version": "1",
 *     "severity": "high", "entity": "card-42",
 *     "title": "12 payments in 60s", "kind": "velocity.count", "score": 0.93,
 *     "time": "2025-01-01T12:00:04.000Z",
 *     "window": { "start": "2025-01-01T11:59:04.000Z", "end": "2025-01-01T12:00:04.000Z" },
 *     "values": { "count": 12 }, "thresholds": { "count": 5 }, "event_ids": ["e1", "e2"],
 *     "trigger_event_id": "e2"
 *   },
 *   "explanation": {
 *     "detector": { "id": "card_velocity", "type": "velocity", "version": "1" },
 *     "window": { "start": "…", "end": "…" },
 *     "comparisons": [{ "name": "count", "value": 12, "threshold": 5, "threshold_name": "count" }],
 *     "event_ids": ["e1", "e2"], "dashboard_url": "http://localhost:3000/d/vigil-finance?…",
 *     "sql": "SELECT e.* FROM `vigil`.`finance_transactions` AS e WHERE …"
 *   }
 * }
 * `id` is the webhook-id: the alert id when firing, `<alert id>.resolved` when resolved.
 * `finding.labels` (and `labels` of each group summary), e.g. {"ward": "ward-01"}: the template's
 * label fields of the event that raised the finding, present when it marks some and the event
 * carried them.
 */

export const ALERT_PAYLOAD_VERSION = 1;
export const ALERT_PAYLOAD_TYPE = 'vigil.alert';

const isoTime = z.iso.datetime();
const numbers = z.record(z.string(), z.number());

const alertSummarySchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  detector: z.string(),
  severity: z.enum(SEVERITIES),
  entity: z.string(),
  title: z.string(),
  time: isoTime,
  labels: z.record(z.string(), z.string()).optional(),
});

/** Validates a received payload (used by the local receiver and available to users' receivers). */
export const alertPayloadSchema = z.object({
  version: z.literal(ALERT_PAYLOAD_VERSION),
  type: z.literal(ALERT_PAYLOAD_TYPE),
  id: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  fingerprint: z.string().min(1),
  template: z.string().min(1),
  created_at: isoTime,
  finding: z.object({
    id: z.string().min(1),
    detector: z.string().min(1),
    detector_type: z.string(),
    detector_version: z.string(),
    severity: z.enum(SEVERITIES),
    entity: z.string(),
    title: z.string(),
    kind: z.string(),
    score: z.number(),
    time: isoTime,
    window: z.object({ start: isoTime, end: isoTime }),
    values: numbers,
    thresholds: numbers,
    event_ids: z.array(z.string()),
    /** The event whose arrival raised the finding. */
    trigger_event_id: z.string(),
    /** The template's label fields of the event that raised it (the health template's ward), when it carried any. */
    labels: z.record(z.string(), z.string()).optional(),
  }),
  explanation: z.object({
    detector: z.object({ id: z.string(), type: z.string(), version: z.string() }),
    window: z.object({ start: isoTime, end: isoTime }),
    comparisons: z.array(
      z.object({ name: z.string(), value: z.number(), threshold: z.number().optional(), threshold_name: z.string().optional() }),
    ),
    event_ids: z.array(z.string()),
    dashboard_url: z.string(),
    sql: z.string(),
  }),
  /** Present for grouped routes: the group's labels, firing alerts and those just resolved. */
  group: z
    .object({
      key: z.string(),
      labels: z.record(z.string(), z.string()),
      firing: z.array(alertSummarySchema),
      resolved: z.array(alertSummarySchema),
    })
    .optional(),
});
// Not strict on purpose: a receiver built against v1 must accept fields added later in v1.

export type AlertPayload = z.infer<typeof alertPayloadSchema>;

export function toAlertPayload(notification: Notification): AlertPayload {
  const { alert, explanation } = notification;
  const f = alert.finding;
  return {
    version: ALERT_PAYLOAD_VERSION,
    type: ALERT_PAYLOAD_TYPE,
    id: notification.id,
    status: notification.status,
    fingerprint: alert.fingerprint,
    template: alert.template,
    created_at: iso(alert.created_at),
    finding: {
      id: f.id,
      detector: f.detector,
      detector_type: f.detector_type,
      detector_version: f.detector_version,
      severity: f.severity,
      entity: f.entity,
      title: f.title,
      kind: f.kind,
      score: f.score,
      time: iso(f.time),
      window: { start: iso(f.window_start), end: iso(f.window_end) },
      values: { ...f.values },
      thresholds: { ...f.thresholds },
      event_ids: [...f.event_ids],
      trigger_event_id: f.trigger_event_id,
      ...(f.labels === undefined ? {} : { labels: { ...f.labels } }),
    },
    explanation: {
      detector: { ...explanation.detector },
      window: { start: iso(explanation.window.start), end: iso(explanation.window.end) },
      comparisons: explanation.comparisons.map((c) => ({ ...c })),
      event_ids: [...explanation.event_ids],
      dashboard_url: explanation.dashboard_url,
      sql: explanation.sql,
    },
    ...(notification.group === undefined
      ? {}
      : {
          group: {
            key: notification.group.key,
            labels: { ...notification.group.labels },
            firing: notification.group.firing.map(summary),
            resolved: notification.group.resolved.map(summary),
          },
        }),
  };
}

function summary(alert: Alert): z.infer<typeof alertSummarySchema> {
  const f = alert.finding;
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    detector: f.detector,
    severity: f.severity,
    entity: f.entity,
    title: f.title,
    time: iso(f.time),
    ...(f.labels === undefined ? {} : { labels: { ...f.labels } }),
  };
}

/** The exact request body: what is signed is what is sent. */
export function serializeAlertPayload(notification: Notification): string {
  return JSON.stringify(toAlertPayload(notification));
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
