import type { VigilEvent } from '../../../../model/records.js';
import { testEvent } from '../../../../runtime/testing/detector-test-context.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** A whole hour, so hour buckets start at T0. */
export const T0 = Date.UTC(2026, 2, 2, 8);

/** One canonical observation event at `minute` after T0; consciousness takes its ACVPU letter. */
export function observation(minute: number, parameter: string, value: number | string, patient = 'p1'): VigilEvent {
  const text = typeof value === 'string';
  return testEvent(
    T0 + minute * MINUTE,
    {
      patient_id: patient,
      encounter_id: `enc-${patient}`,
      ward: 'w1',
      parameter,
      value: text ? null : value,
      value_text: text ? value : null,
      unit: '',
      source: 'monitor',
    },
    patient,
  );
}

/** A normal observation set: NEWS2 0 on scale 1, on air, alert. */
export const NORMAL_SET: Readonly<Record<string, number | string>> = {
  resp_rate: 16,
  spo2: 97,
  on_oxygen: 0,
  systolic_bp: 125,
  pulse: 72,
  consciousness: 'A',
  temperature: 37,
};

/** The events of one observation set taken at `minute`, one per parameter. */
export function observationSet(minute: number, changes: Readonly<Record<string, number | string>> = {}, patient = 'p1'): VigilEvent[] {
  return Object.entries({ ...NORMAL_SET, ...changes }).map(([parameter, value]) => observation(minute, parameter, value, patient));
}
