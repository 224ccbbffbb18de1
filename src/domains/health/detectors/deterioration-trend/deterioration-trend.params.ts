import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration } from '../../../../model/template/duration.js';
import { observationFields } from '../observation/observation.js';

const worsening = z.strictObject({
  /** Which way is worse. */
  direction: z.enum(['up', 'down']),
  /** The robust slope, as a change over `window`, at least this much (the vital's unit) fires. */
  change: z.number().positive(),
});

export const deteriorationTrendParams = z.strictObject({
  ...observationFields,
  /** The news2 detector's `total` signal, `<its id>.total`; null: parameters only. */
  news2Signal: z.string().min(1).nullable().default('news2.total'),
  /** NEWS2 up by at least this much within `window` (from its lowest) fires. */
  news2Rise: z.number().int().min(1).default(3),
  /** ...while the total is still below this (at and above it the news2 detector escalates); null: any total. */
  news2Below: z.number().int().min(1).nullable().default(5),
  /** The look-back over which trends are measured. */
  window: duration.prefault('6h'),
  /** Vitals whose robust slope is followed, and how much change over the window is a worsening. */
  parameters: z.record(z.string(), worsening).default({
    pulse: { direction: 'up', change: 25 },
    resp_rate: { direction: 'up', change: 6 },
    spo2: { direction: 'down', change: 4 },
    systolic_bp: { direction: 'down', change: 30 },
    temperature: { direction: 'up', change: 1.5 },
  }),
  /** A slope needs at least this many points (buckets)... */
  minPoints: z.number().int().min(2).default(4),
  /** ...spanning at least this much of the window. */
  minSpan: duration.prefault('2h'),
  /** Points per window: readings in one window / points of time merge. */
  points: z.number().int().min(4).max(96).default(24),
  /** A trend's episode ends when it falls below this fraction of its threshold. */
  exitFraction: z.number().gt(0).max(1).default(0.5),
  severity: z.enum(SEVERITIES).default('medium'),
});

export type DeteriorationTrendParams = z.infer<typeof deteriorationTrendParams>;
