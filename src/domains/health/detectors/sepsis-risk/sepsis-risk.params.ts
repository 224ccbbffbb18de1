import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration, nonNegativeDuration } from '../../../../model/template/duration.js';
import { MEASUREMENTS } from '../../sepsis/hourly-row.js';
import { validateSepsisModel, type SepsisModel } from '../../sepsis/sepsis-model.js';
import { observationFields } from '../observation/observation.js';

/**
 * The fitted model as plain numbers, exactly what `vigil fit-sepsis` writes to
 * templates/health/sepsis-model.json (logistic or boosted trees); checked against the inputs this
 * code computes, in order.
 */
const logisticModelSchema = z.strictObject({
  model: z.literal('vigil-sepsis-logistic'),
  version: z.literal(1),
  bias: z.number(),
  threshold: z.number().gt(0).lt(1),
  inputs: z.array(z.strictObject({ name: z.string(), weight: z.number(), mean: z.number() })),
  fitted: z.record(z.string(), z.unknown()).optional(),
});

const boostedModelSchema = z.strictObject({
  model: z.literal('vigil-sepsis-boosted-trees'),
  version: z.literal(1),
  base: z.number(),
  threshold: z.number().gt(0).lt(1),
  inputs: z.array(z.string()),
  trees: z.array(z.strictObject({ feature: z.array(z.number()), threshold: z.array(z.number()), left: z.array(z.number()), right: z.array(z.number()), value: z.array(z.number()) })),
  fitted: z.record(z.string(), z.unknown()).optional(),
});

export const sepsisModelSchema = z.discriminatedUnion('model', [logisticModelSchema, boostedModelSchema]).superRefine((model, ctx) => {
  try {
    validateSepsisModel(model, 'model');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^model: /, ''), path: ['inputs'] });
  }
});

/** Which PhysioNet column of the hourly row each observation parameter fills (the columns the model was fitted on). */
export const DEFAULT_MEASUREMENTS: Readonly<Record<string, (typeof MEASUREMENTS)[number]>> = {
  pulse: 'HR',
  spo2: 'O2Sat',
  temperature: 'Temp',
  systolic_bp: 'SBP',
  mean_bp: 'MAP',
  diastolic_bp: 'DBP',
  resp_rate: 'Resp',
  etco2: 'EtCO2',
  fio2: 'FiO2',
};

export const sepsisRiskParams = z.strictObject({
  ...observationFields,
  model: sepsisModelSchema,
  /** Alert at or above this probability; default the model's own (fitted) threshold. */
  threshold: z.number().gt(0).lt(1).optional(),
  severity: z.enum(SEVERITIES).default('high'),
  /** Hours at or above this probability are a second, critical level. */
  criticalAbove: z.number().gt(0).lt(1).optional(),
  measurements: z.record(z.string(), z.enum(MEASUREMENTS)).default({ ...DEFAULT_MEASUREMENTS }),
  /** A ward records no mean arterial pressure: derive it, (systolic + 2 × diastolic) / 3, for an hour that has both and no MAP. */
  deriveMap: z.boolean().default(true),
  /**
   * Empty hours scored before a patient's first reading. The model was fitted on PhysioNet ICU
   * stays, whose first hour (ICULOS 1) holds no readings yet: with 1, a stream's first reading
   * lands in ICULOS 2 as it did there, so time-in-ICU and measurement-count inputs mean the same.
   */
  hoursBeforeFirstReading: z.number().int().min(0).max(24).default(1),
  /** An hour is scored once the watermark is this far past its end (room for readings later than the template's out-of-orderness). */
  closeDelay: nonNegativeDuration.prefault('0s'),
  /** Hours keep being scored (as hours without readings) until this long after the patient's latest reading. */
  activeFor: duration.prefault('12h'),
  /** Reminders while the risk stays at or above the threshold, at most once per this much event time. */
  renotify: duration.prefault('4h'),
  hysteresis: z
    .strictObject({
      /** The alert is left at once when the probability falls below this fraction of its threshold... */
      exitBelow: z.number().gt(0).max(1).default(0.8),
      /** ...or after this many consecutive hours below the threshold. */
      hours: z.number().int().min(1).default(2),
    })
    .prefault({}),
  /** Inputs named in a finding, largest contribution to the log-odds first. */
  explain: z.number().int().min(1).max(20).default(5),
});

export type SepsisRiskParams = z.infer<typeof sepsisRiskParams>;

/**
 * The detector's params from a parsed sepsis-model.json (what `vigil fit-sepsis` wrote): the
 * template loader cannot resolve a path, so a template holds the model's numbers inline and this
 * builds them, with any other params beside.
 */
export function sepsisRiskParamsFromModel(model: unknown, others: Record<string, unknown> = {}): SepsisRiskParams {
  return sepsisRiskParams.parse({ ...others, model: validateSepsisModel(model, 'sepsis model') satisfies SepsisModel });
}
