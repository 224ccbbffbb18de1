import { makeAlert } from './testing/alert.fixture.js';
import { alertPayloadSchema, serializeAlertPayload, toAlertPayload } from './webhook.payload.js';

describe('alert webhook payload v1', () => {
  it('has exactly the documented shape (a change here breaks receivers: bump version instead)', () => {
    expect(toAlertPayload(makeAlert())).toEqual({
      version: 1,
      type: 'vigil.alert',
      id: 'a-0001',
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
      },
    });
  });

  it('serialises deterministically and round-trips through the published schema', () => {
    const body = serializeAlertPayload(makeAlert());
    expect(serializeAlertPayload(makeAlert())).toBe(body);
    expect(alertPayloadSchema.parse(JSON.parse(body))).toEqual(toAlertPayload(makeAlert()));
  });

  it('lets receivers accept fields added later within v1, but not another version', () => {
    const payload = { ...toAlertPayload(makeAlert()), added_later: true };
    expect(alertPayloadSchema.safeParse(payload).success).toBe(true);
    expect(alertPayloadSchema.safeParse({ ...payload, version: 2 }).success).toBe(false);
  });
});
