import { z } from 'zod';
import { SEVERITIES, type Alert } from '../runtime/records.js';

/**
 * The JSON body Vigil POSTs for an alert. This is a public contract: receivers parse it, so fields
 * are only ever added (never renamed, retyped or removed) within a `version`; anything else bumps
 * `version`. Times are ISO-8601 UTC strings (records use epoch ms internally).
 *
 * Example:
 * {
 *   "version": 1, "type": "vigil.alert", "id": "a-…", "fingerprint": "3f9c0a1b2c3d4e5f",
 *   "template": "finance", "created_at": "2025-01-01T12:00:05.000Z",
 *   "finding": {
 *     "id": "f-…", "detector": "card_velocity", "detector_type": "velocity", "detector_version": "2.0.0",
 *     "severity": "high", "entity": "card-42",
 *     "title": "12 payments in 60s", "kind": "velocity.count", "score": 0.93,
 *     "time": "2025-01-01T12:00:04.000Z",
 *     "window": { "start": "2025-01-01T11:59:04.000Z", "end": "2025-01-01T12:00:04.000Z" },
 *     "values": { "count": 12 }, "thresholds": { "count": 5 }, "event_ids": ["e1", "e2"]
 *   }
 * }
 */

export const ALERT_PAYLOAD_VERSION = 1;
export const ALERT_PAYLOAD_TYPE = 'vigil.alert';

const isoTime = z.iso.datetime();
const numbers = z.record(z.string(), z.number());

/** Validates a received payload (used by the local receiver and available to users' receivers). */
export const alertPayloadSchema = z.object({
  version: z.literal(ALERT_PAYLOAD_VERSION),
  type: z.literal(ALERT_PAYLOAD_TYPE),
  id: z.string().min(1),
  fingerprint: z.string().min(1),
  template: z.string().min(1),
  created_at: isoTime,
  finding: z.object({
    id: z.string().min(1),
    detector: z.string().min(1),
    // Added within v1 (optional for payloads from before): a rule's findings name its version here.
    detector_type: z.string().optional(),
    detector_version: z.string().optional(),
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
  }),
});
// Not strict on purpose: a receiver built against v1 must accept fields added later in v1.

export type AlertPayload = z.infer<typeof alertPayloadSchema>;

export function toAlertPayload(alert: Alert): AlertPayload {
  const f = alert.finding;
  return {
    version: ALERT_PAYLOAD_VERSION,
    type: ALERT_PAYLOAD_TYPE,
    id: alert.id,
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
    },
  };
}

/** The exact request body: what is signed is what is sent. */
export function serializeAlertPayload(alert: Alert): string {
  return JSON.stringify(toAlertPayload(alert));
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
