import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration } from '../../../../model/template/duration.js';
import { observationFields } from '../observation/observation.js';

const watched = z.strictObject({
  /** The smallest deviation from the patient's normal worth a finding, in the vital's unit. */
  minDeviation: z.number().positive(),
  /** Which way a deviation notifies (SpO2: only down). */
  direction: z.enum(['both', 'up', 'down']).default('both'),
});

export const vitalBaselineParams = z.strictObject({
  ...observationFields,
  /**
   * The vitals followed. The minimum deviations are what changes a nurse's view of a patient
   * whatever their own normal: pulse ±20 /min, respiration ±6 /min, SpO2 −4 %, systolic ±25 and
   * diastolic ±15 mmHg, temperature ±1 °C.
   */
  parameters: z.record(z.string(), watched).default({
    pulse: { minDeviation: 20, direction: 'both' },
    resp_rate: { minDeviation: 6, direction: 'both' },
    spo2: { minDeviation: 4, direction: 'down' },
    systolic_bp: { minDeviation: 25, direction: 'both' },
    diastolic_bp: { minDeviation: 15, direction: 'both' },
    temperature: { minDeviation: 1, direction: 'both' },
  }),
  /** A deviation is at least this many robust scales (mean absolute deviations) from the normal. */
  z: z.number().positive().default(4),
  /** Readings of a vital before it can deviate: the patient's normal needs a few to mean anything. */
  minHistory: z.number().int().min(2).default(8),
  /** The normal follows about the last this many readings (a chronic level becomes the normal). */
  readings: z.number().int().min(2).default(48),
  /** Readings are clipped to normal ± this many scales before they teach the normal. */
  winsorise: z.number().positive().default(3),
  exit: z
    .strictObject({
      /** An episode ends after `readings` consecutive readings within this fraction of the limit. */
      fraction: z.number().gt(0).max(1).default(0.5),
      readings: z.number().int().min(1).default(3),
    })
    .prefault({}),
  severity: z.enum(SEVERITIES).default('medium'),
  /** A patient unseen this long is forgotten (a new admission learns a new normal). */
  stateTtl: duration.prefault('3d'),
});

export type VitalBaselineParams = z.infer<typeof vitalBaselineParams>;
