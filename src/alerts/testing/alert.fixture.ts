import { explainAlert } from '../alert-explanation.js';
import { firing, resolved, type Notification } from '../notification.js';
import type { Alert, Finding, Severity } from '../../model/records.js';

/** Test-only: a complete, realistic alert; override what a test is about. */
export function makeAlert(
  overrides: { id?: string; severity?: Severity; detector?: string; entity?: string; title?: string; labels?: Record<string, string> } = {},
): Alert {
  const finding: Finding = {
    id: 'f-0001',
    template: 'finance',
    detector: overrides.detector ?? 'card_velocity',
    detector_type: 'velocity',
    detector_version: '1',
    entity: overrides.entity ?? 'card-42',
    severity: overrides.severity ?? 'high',
    kind: 'velocity.count',
    title: overrides.title ?? '12 payments in 60s',
    score: 0.93,
    time: Date.UTC(2025, 0, 1, 12, 0, 4),
    window_start: Date.UTC(2025, 0, 1, 11, 59, 4),
    window_end: Date.UTC(2025, 0, 1, 12, 0, 4),
    values: { count: 12 },
    thresholds: { count: 5 },
    event_ids: ['e1', 'e2'],
    trigger_event_id: 'e2',
    ...(overrides.labels === undefined ? {} : { labels: overrides.labels }),
  };
  return {
    id: overrides.id ?? 'a-0001',
    fingerprint: '3f9c0a1b2c3d4e5f',
    template: 'finance',
    finding,
    created_at: Date.UTC(2025, 0, 1, 12, 0, 5),
  };
}

/** Test-only: the explanation context of the fixtures (embedded database `vigil`, events table `finance_transactions`). */
export const TEST_EXPLANATION_CONTEXT = { grafanaUrl: 'http://grafana.test:3000', database: 'vigil', eventsTable: 'finance_transactions' } as const;

/** Test-only: `makeAlert(overrides)` as a firing (or resolved) notification with its explanation. */
export function makeNotification(
  overrides: Parameters<typeof makeAlert>[0] = {},
  status: 'firing' | 'resolved' = 'firing',
): Notification {
  const alert = makeAlert(overrides);
  const explanation = explainAlert(alert, TEST_EXPLANATION_CONTEXT);
  return status === 'firing' ? firing(alert, explanation) : resolved(alert, explanation);
}
