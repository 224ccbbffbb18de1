import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration, nonNegativeDuration } from '../../../../model/template/duration.js';
import { observationFields } from '../observation/observation.js';

/** A finding severity, or `none`: the band is tracked but never notified. */
const escalation = z.enum([...SEVERITIES, 'none']);

export const news2Params = z.strictObject({
  ...observationFields,
  /**
   * How long a reading stays current. An observation set is charted within minutes, so the vitals
   * a monitor or a nurse takes together stay current for an hour; temperature changes slowly and
   * is often taken apart, 4 h (a 6-hour-old temperature is missing, never current); the oxygen
   * supplement is charted when it changes, 4 h. A reading older than its window is missing.
   */
  validity: z
    .strictObject({
      resp_rate: duration.prefault('1h'),
      spo2: duration.prefault('1h'),
      on_oxygen: duration.prefault('4h'),
      systolic_bp: duration.prefault('1h'),
      pulse: duration.prefault('1h'),
      consciousness: duration.prefault('1h'),
      temperature: duration.prefault('4h'),
    })
    .prefault({}),
  /** The SpO2 scale of a patient without a spo2_scale reading (2: hypercapnic respiratory failure). */
  spo2Scale: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Fewer current parameters than this: the total is not published and bands are not changed. */
  minParameters: z.number().int().min(1).max(7).default(4),
  /** Finding severity per risk band (low never notifies). */
  escalation: z
    .strictObject({
      'low-medium': escalation.default('medium'),
      medium: escalation.default('high'),
      high: escalation.default('critical'),
    })
    .prefault({}),
  /**
   * An escalation is notified this long (event time) after it happens, with the band reached by
   * then: an observation set arrives one reading at a time, and without the wait a set that ends
   * high would notify low-medium, medium and high within minutes (a nurse enters a set over a
   * few minutes, a monitor at once). 0s notifies at once.
   */
  settle: nonNegativeDuration.prefault('5m'),
  /** Reminders while a band persists, at most once per this much event time. */
  renotify: z
    .strictObject({
      'low-medium': duration.prefault('6h'),
      medium: duration.prefault('4h'),
      high: duration.prefault('1h'),
    })
    .prefault({}),
  hysteresis: z
    .strictObject({
      /** A band is left at once when its score is at or below its entry threshold minus this. */
      margin: z.number().int().min(0).default(2),
      /** ...or after this many consecutive evaluations (one per reading) below it: a little over one observation set of 7. */
      readings: z.number().int().min(1).default(8),
    })
    .prefault({}),
  /** Patients unseen this long may be dropped (their readings are all stale by then). */
  stateTtl: duration.prefault('2d'),
});

export type News2Params = z.infer<typeof news2Params>;
