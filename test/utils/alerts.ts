import type { Alert, Severity } from '../../src/model/records.js';

const MINUTE = 60_000;

export interface TestAlert {
  readonly template: string;
  readonly id: string;
  readonly entity: string;
  /** Event time of the finding. */
  readonly at: number;
  readonly detector?: string;
  readonly severity?: Severity;
  /** When detect wrote it (wall clock); the event time unless a test needs them apart. */
  readonly createdAt?: number;
}

/**
 * An alert as the detect stage writes it to the alerts topic, for tests that feed notify directly.
 * The fingerprint is per detector, entity and severity, so alerts that differ in any of them are
 * separate conditions (grouping, repeat and inhibition key on it).
 */
export function testAlert({ template, id, entity, at, detector = 'card_velocity', severity = 'high', createdAt = at }: TestAlert): Alert {
  return {
    id,
    fingerprint: `fp-${detector}-${entity}-${severity}`,
    template,
    created_at: createdAt,
    finding: {
      id: `f-${id}`,
      template,
      detector,
      detector_type: 'velocity',
      detector_version: '1',
      entity,
      severity,
      kind: 'velocity.count',
      title: `${detector} (${severity}) for ${entity}`,
      score: 0.9,
      time: at,
      window_start: at - MINUTE,
      window_end: at,
      values: { count: 9 },
      thresholds: { max_count: 6 },
      event_ids: [`${id}-e1`],
      trigger_event_id: `${id}-e1`,
    },
  };
}
