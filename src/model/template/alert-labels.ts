import type { Alert } from '../records.js';

/** The label names routes, silences and inhibition can match on. */
export const ALERT_LABELS = ['template', 'detector', 'detector_type', 'entity', 'severity', 'kind', 'fingerprint'] as const;
export type AlertLabel = (typeof ALERT_LABELS)[number];

/** An alert's labels: what matchers (route, silence, inhibition) see. */
export function alertLabels(alert: Alert): Readonly<Record<AlertLabel, string>> {
  const f = alert.finding;
  return {
    template: alert.template,
    detector: f.detector,
    detector_type: f.detector_type,
    entity: f.entity,
    severity: f.severity,
    kind: f.kind,
    fingerprint: alert.fingerprint,
  };
}
