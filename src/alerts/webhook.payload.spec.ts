import { explainAlert } from './alert-explanation.js';
import { grouped } from './notification.js';
import { makeAlert, makeNotification, TEST_EXPLANATION_CONTEXT } from './testing/alert.fixture.js';
import { alertPayloadSchema, serializeAlertPayload, toAlertPayload } from './webhook.payload.js';

describe('alert webhook payload v1', () => {
  it('has exactly the documented shape (a change here breaks receivers: bump version instead)', () => {
    expect(toAlertPayload(makeNotification())).toEqual({
      version: 1,
      type: 'vigil.alert',
      id: 'a-0001',
      status: 'firing',
      fingerprint: '3f9c0a1b2c3d4e5f',
      template: 'finance',
      created_at: '2025-01-01T12:00:05.000Z',
      finding: {
        id: 'f-0001',
        detector: 'card_velocity',
        detector_type: 'velocity',
        detector_version: '1',
        severity: 'high',
        entity: 'card-42',
        title: '12 payments in 60s',
        kind: 'velocity.count',
        score: 0.93,
        time: '2025-01-01T12:00:04.000Z',
        window: { start: '2025-01-01T11:59:04.000Z', end: '2025-01-01T12:00:04.000Z' },
        values: { count: 12 },
        thresholds: { count: 5 },
        event_ids: ['e1', 'e2'],
        trigger_event_id: 'e2',
      },
      explanation: {
        detector: { id: 'card_velocity', type: 'velocity', version: '1' },
        window: { start: '2025-01-01T11:59:04.000Z', end: '2025-01-01T12:00:04.000Z' },
        comparisons: [{ name: 'count', value: 12, threshold: 5, threshold_name: 'count' }],
        event_ids: ['e1', 'e2'],
        dashboard_url:
          'http://grafana.test:3000/d/vigil-finance?var-entity=card-42&var-detector=card_velocity&from=1735731844000&to=1735733704000',
        sql: [
          'SELECT e.* FROM `vigil`.`finance_transactions` AS e',
          "WHERE e.event_time BETWEEN toDateTime64('2025-01-01 11:59:04.000', 3, 'UTC') AND toDateTime64('2025-01-01 12:00:04.000', 3, 'UTC')",
          "  AND e.event_id IN ('e1', 'e2')",
          'ORDER BY e.event_time',
        ].join('\n'),
      },
    });
  });

  it("adds the finding's labels (the health template's ward) when it has some, and validates them", () => {
    const payload = toAlertPayload(makeNotification({ entity: 'ps_1', labels: { ward: 'ward-01' } }));
    expect(payload.finding.labels).toEqual({ ward: 'ward-01' });
    expect(alertPayloadSchema.parse(JSON.parse(serializeAlertPayload(makeNotification({ labels: { ward: 'ward-01' } })))).finding.labels).toEqual({ ward: 'ward-01' });
    // In a group (per patient), each firing alert's summary says its ward too.
    const alerts = [makeAlert({ id: 'a-1', entity: 'ps_1', labels: { ward: 'ward-01' } }), makeAlert({ id: 'a-2', entity: 'ps_1' })];
    const group = toAlertPayload(grouped({ id: 'g-1', status: 'firing', key: 'k', labels: { entity: 'ps_1' }, firing: alerts, resolved: [] }, (a) => explainAlert(a, TEST_EXPLANATION_CONTEXT)));
    expect(group.group!.firing.map((a) => a.labels)).toEqual([{ ward: 'ward-01' }, undefined]);
    expect(toAlertPayload(makeNotification()).finding).not.toHaveProperty('labels');
  });

  it('marks a resolved notification with its own webhook-id', () => {
    const payload = toAlertPayload(makeNotification({}, 'resolved'));
    expect(payload).toMatchObject({ id: 'a-0001.resolved', status: 'resolved', fingerprint: '3f9c0a1b2c3d4e5f' });
  });

  it('serialises deterministically and round-trips through the published schema', () => {
    const body = serializeAlertPayload(makeNotification());
    expect(serializeAlertPayload(makeNotification())).toBe(body);
    expect(alertPayloadSchema.parse(JSON.parse(body))).toEqual(toAlertPayload(makeNotification()));
  });

  it('lets receivers accept fields added later within v1, but not another version', () => {
    const payload = { ...toAlertPayload(makeNotification()), added_later: true };
    expect(alertPayloadSchema.safeParse(payload).success).toBe(true);
    expect(alertPayloadSchema.safeParse({ ...payload, version: 2 }).success).toBe(false);
  });
});
