import { hash32, hashUnit, type Random } from '../../../simulate/random.js';
import type { HealthParams } from './health.params.js';
import { drawTrajectory, type HealthScenario, type Trajectory } from './trajectory.js';
import { type Bed, drawBaseline, type WardPatient } from './ward-patient.js';

// Bound once (see random.ts).
const { log, max } = Math;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Nobody is discharged within 6 hours of admission. */
const MIN_STAY_MS = 6 * HOUR_MS;
const FAHRENHEIT_SALT = 303;

/** Every bed of every ward, in order; which thermometers send °F is fixed by the seed. */
export function wardBeds(seed: number, params: HealthParams): Bed[] {
  const beds: Bed[] = [];
  for (let w = 0; w < params.wards; w++) {
    const ward = `ward-${String(w + 1).padStart(2, '0')}`;
    for (let b = 0; b < params.bedsPerWard; b++) {
      const index = beds.length;
      beds.push({ index, ward, label: `${ward}-bed-${String(b + 1).padStart(2, '0')}`, fahrenheit: hashUnit(seed, index, FAHRENHEIT_SALT) < params.fahrenheitShare });
    }
  }
  return beds;
}

/** A new stay, with when it ends (discharge, or transfer out after an injected trajectory peaks). */
export interface Admission {
  readonly patient: WardPatient;
  readonly leaveMs: number;
}

export interface AdmitOptions {
  /** Earliest onset of an injected trajectory (the run's start for patients already on the ward). */
  readonly trajectoriesFrom: number;
  /** Forces an acute patient: this trajectory, monitored. */
  readonly acute?: { readonly scenario: HealthScenario; readonly onsetMs: number; readonly peakMs: number };
}

/**
 * Admits a patient to `bed` at `admittedMs`: their own baseline (a chronic profile for some), a
 * stay length, whether they are monitored, and whether an injected trajectory starts during the
 * stay (onsets at `deteriorationPerPatientDay + sepsisPerPatientDay` per patient-day).
 */
export function admit(index: number, bed: Bed, admittedMs: number, options: AdmitOptions, random: Random, seed: number, params: HealthParams): Admission {
  const { baseline, spo2Scale, baseFlow } = drawBaseline(random, params);
  let leaveMs = admittedMs + max(MIN_STAY_MS, exponential(random, params.meanStay));
  let trajectory: Trajectory | undefined;
  const unit = () => random.next();
  if (options.acute !== undefined) {
    const { scenario, onsetMs, peakMs } = options.acute;
    trajectory = drawTrajectory(scenario, onsetMs, peakMs, unit);
    leaveMs = peakMs + params.transferAfter;
  } else {
    const perDay = params.deteriorationPerPatientDay + params.sepsisPerPatientDay;
    if (perDay > 0) {
      const onsetMs = max(admittedMs, options.trajectoriesFrom) + exponential(random, DAY_MS / perDay);
      if (onsetMs < leaveMs) {
        const scenario: HealthScenario = random.next() * perDay < params.deteriorationPerPatientDay ? 'deterioration' : 'sepsis';
        const [min, maxSpan] = scenario === 'deterioration' ? [params.deteriorationMin, params.deteriorationMax] : [params.sepsisMin, params.sepsisMax];
        const peakMs = onsetMs + random.uniform(min, maxSpan);
        trajectory = drawTrajectory(scenario, onsetMs, peakMs, unit);
        leaveMs = peakMs + params.transferAfter;
      }
    }
  }
  const monitored = options.acute !== undefined || random.chance(params.monitoredShare);
  const patient: WardPatient = {
    index,
    id: `pat-${hex(hash32(seed, index, 101))}`,
    encounterId: `enc-${hex(hash32(seed, index, 202))}`,
    bed,
    baseline,
    spo2Scale,
    baseFlow,
    monitored,
    nibpIntervalMs: params.nibpInterval,
    roundToken: 0,
    trajectory,
    active: true,
  };
  return { patient, leaveMs };
}

/** Exponential with the given mean, from the sequential stream. */
export function exponential(random: Random, mean: number): number {
  return -log(1 - random.next()) * mean;
}

export function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
