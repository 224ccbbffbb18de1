import { z } from 'zod';
import { duration } from '../../../model/template/duration.js';

/** The `simulator.params` of the health template (docs/health-simulator.md explains each). */
export const healthParamsSchema = z
  .strictObject({
    wards: z.number().int().min(1).max(100).default(1),
    bedsPerWard: z.number().int().min(2).max(60).default(28),
    /** Share of beds occupied when the run starts. */
    occupancy: z.number().min(0).max(1).default(0.9),
    /** Mean length of a ward stay (exponential, at least 6 h)... */
    meanStay: duration.prefault('4d'),
    /** ...and mean time a bed stays empty between patients. */
    bedTurnaround: duration.prefault('3h'),
    /** Share of admitted patients on a bedside monitor; patients whose NEWS2 reaches 5 are put on one. */
    monitoredShare: z.number().min(0).max(1).default(0.3),
    /** A monitor's numerics interval (HR, RR, SpO2); shorter when the rate asks for more events than the ward makes. */
    monitorInterval: duration.prefault('1m'),
    /** Non-invasive BP cycle of a monitor; halved for patients at medium or high risk. */
    nibpInterval: duration.prefault('30m'),
    /** The run's first obs round reaches every patient within this time of the start. */
    firstRoundWithin: duration.prefault('30m'),
    /** Share of manual readings not charted and of monitor samples lost. */
    missingShare: z.number().min(0).max(0.5).default(0.05),
    /** Share of manual rounds charted late: sent after the round with their measured time... */
    lateShare: z.number().min(0).max(1).default(0.2),
    /** ...at most this long after it (keep it below the template's allowed lateness). */
    lateMax: duration.prefault('8m'),
    /** Share of beds whose thermometer sends °F (`[degF]`). */
    fahrenheitShare: z.number().min(0).max(1).default(0.1),
    /** Chronic profiles: COPD on SpO2 scale 2 (target 88-92 %), resting tachycardia (~100/min), hypertension. */
    copdShare: z.number().min(0).max(1).default(0.08),
    tachycardiaShare: z.number().min(0).max(1).default(0.06),
    hypertensionShare: z.number().min(0).max(1).default(0.15),
    /** Injected trajectories: onsets per patient-day on the ward. */
    deteriorationPerPatientDay: z.number().min(0).max(10).default(0.02),
    sepsisPerPatientDay: z.number().min(0).max(10).default(0.01),
    /** From onset to peak, uniform between min and max. */
    deteriorationMin: duration.prefault('2h'),
    deteriorationMax: duration.prefault('8h'),
    sepsisMin: duration.prefault('3h'),
    sepsisMax: duration.prefault('10h'),
    /** A patient at the peak of a trajectory leaves the ward (to intensive care) this long after it. */
    transferAfter: duration.prefault('2h'),
    /** Patients already deteriorating when the run starts (alternately deterioration and sepsis), monitored... */
    acuteAtStart: z.number().int().min(0).max(20).default(1),
    /** ...whose trajectory began this long before the start and peaks this long after it. */
    acuteRamp: duration.prefault('20m'),
    /** Local time of the ward, for the circadian rhythm. */
    utcOffsetHours: z.number().min(-12).max(14).default(1),
  })
  .refine((p) => p.deteriorationMin <= p.deteriorationMax, { path: ['deteriorationMax'], message: 'expected a duration >= deteriorationMin' })
  .refine((p) => p.sepsisMin <= p.sepsisMax, { path: ['sepsisMax'], message: 'expected a duration >= sepsisMin' })
  .refine((p) => p.acuteAtStart <= p.wards * p.bedsPerWard, { path: ['acuteAtStart'], message: 'expected at most one acute patient per bed' });

export type HealthParams = z.infer<typeof healthParamsSchema>;
