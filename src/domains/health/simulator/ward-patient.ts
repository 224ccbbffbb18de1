import { dailyRhythm } from '../../../simulate/daily-rhythm.js';
import { hashNormal, type Random } from '../../../simulate/random.js';
import type { Consciousness, Spo2Scale } from '../vitals/vital-signs.js';
import { type ContinuousVital, progressAt, type Trajectory, trajectoryConsciousness, trajectoryShift } from './trajectory.js';

// Bound once: called per event (see random.ts).
const { cos, floor, max, min, PI } = Math;

export interface Bed {
  readonly index: number;
  readonly ward: string;
  readonly label: string;
  /** This bed's thermometer sends °F. */
  readonly fahrenheit: boolean;
}

/** One stay of one patient in a bed. */
export interface WardPatient {
  readonly index: number;
  readonly id: string;
  readonly encounterId: string;
  readonly bed: Bed;
  readonly baseline: Readonly<Record<ContinuousVital, number>>;
  readonly spo2Scale: Spo2Scale;
  /** Oxygen the patient is on regardless of any trajectory (COPD), L/min; 0: room air. */
  readonly baseFlow: number;
  monitored: boolean;
  /** The monitor's blood-pressure cycle, shortened by the nurses when the patient's NEWS2 rises. */
  nibpIntervalMs: number;
  /** Identifies the one pending round; an earlier round (a nurse's concern) makes the pending one stale. */
  roundToken: number;
  readonly trajectory: Trajectory | undefined;
  /** Cleared when the patient leaves: their pending readings are then dropped. */
  active: boolean;
}

export type PatientProfile = 'typical' | 'copd' | 'tachycardia' | 'hypertension';

export interface Shares {
  readonly copdShare: number;
  readonly tachycardiaShare: number;
  readonly hypertensionShare: number;
}

/** The true state of a patient at one instant, before measurement noise. */
export interface LatentVitals {
  readonly values: Record<ContinuousVital, number>;
  readonly consciousness: Consciousness;
  readonly flow: number;
}

export const CONTINUOUS_VITALS: readonly ContinuousVital[] = ['pulse', 'resp_rate', 'spo2', 'systolic_bp', 'diastolic_bp', 'temperature'];

/**
 * Circadian rhythm from hourly weights (local time): lowest around 04:00-05:00, highest in the late
 * afternoon. Its deviation from 1 (about ±0.2) times CIRCADIAN_AMPLITUDE is each vital's swing.
 */
const CIRCADIAN_WEIGHTS = Array.from({ length: 24 }, (_, hour) => 1 + 0.2 * cos((2 * PI * (hour - 17)) / 24));
const CIRCADIAN_AMPLITUDE: Record<ContinuousVital, number> = { pulse: 35, resp_rate: 4, spo2: 0, systolic_bp: 45, diastolic_bp: 25, temperature: 1.4 };

/** Slow wandering of each vital around its baseline (hours), as a standard deviation. */
const DRIFT_SD: Record<ContinuousVital, number> = { pulse: 4, resp_rate: 0.8, spo2: 0.5, systolic_bp: 6, diastolic_bp: 4, temperature: 0.12 };
const DRIFT_KNOT_MS = 90 * 60_000;
const VITAL_SALT: Record<ContinuousVital, number> = { pulse: 11, resp_rate: 12, spo2: 13, systolic_bp: 14, diastolic_bp: 15, temperature: 16 };

export function circadian(utcOffsetHours: number): (timeMs: number) => number {
  const rhythm = dailyRhythm(CIRCADIAN_WEIGHTS, utcOffsetHours);
  return (timeMs) => rhythm(timeMs) - 1;
}

/** Draws a new patient's profile and own baseline vitals. */
export function drawBaseline(random: Random, shares: Shares): { profile: PatientProfile; baseline: Record<ContinuousVital, number>; spo2Scale: Spo2Scale; baseFlow: number } {
  const u = random.next();
  const profile: PatientProfile =
    u < shares.copdShare
      ? 'copd'
      : u < shares.copdShare + shares.tachycardiaShare
        ? 'tachycardia'
        : u < shares.copdShare + shares.tachycardiaShare + shares.hypertensionShare
          ? 'hypertension'
          : 'typical';
  const baseline: Record<ContinuousVital, number> = {
    pulse: clamp(76 + 9 * random.normal(), 56, 95),
    resp_rate: clamp(15.5 + 1.4 * random.normal(), 13, 18.5),
    spo2: clamp(96.5 + random.normal(), 95, 99),
    systolic_bp: clamp(125 + 12 * random.normal(), 106, 150),
    diastolic_bp: 0,
    temperature: clamp(36.8 + 0.2 * random.normal(), 36.3, 37.3),
  };
  let spo2Scale: Spo2Scale = 1;
  let baseFlow = 0;
  if (profile === 'copd') {
    spo2Scale = 2;
    baseline.spo2 = clamp(90 + random.normal(), 88.5, 91.5);
    baseline.resp_rate = clamp(17 + random.normal(), 15.5, 18.5);
    if (random.chance(0.5)) baseFlow = random.int(1, 2);
  } else if (profile === 'tachycardia') {
    baseline.pulse = clamp(100 + 4 * random.normal(), 94, 106);
  } else if (profile === 'hypertension') {
    baseline.systolic_bp = clamp(158 + 10 * random.normal(), 145, 185);
  }
  baseline.diastolic_bp = clamp(baseline.systolic_bp * 0.6 + 5 * random.normal(), 55, 105);
  return { profile, baseline, spo2Scale, baseFlow };
}

/** The patient's true vitals at `timeMs`: baseline, circadian swing, slow drift, trajectory. */
export function latentVitals(patient: WardPatient, timeMs: number, seed: number, rhythm: (timeMs: number) => number): LatentVitals {
  const day = rhythm(timeMs);
  const trajectory = patient.trajectory;
  const progress = trajectory === undefined ? 0 : progressAt(trajectory, timeMs);
  const values = {} as Record<ContinuousVital, number>;
  for (const vital of CONTINUOUS_VITALS) {
    let value = patient.baseline[vital] + CIRCADIAN_AMPLITUDE[vital] * day + DRIFT_SD[vital] * drift(seed, patient.index, VITAL_SALT[vital], timeMs);
    if (trajectory !== undefined) value += trajectoryShift(trajectory, vital, progress);
    values[vital] = value;
  }
  const onTrajectoryOxygen = trajectory !== undefined && progress >= trajectory.oxygenFrom;
  return {
    values,
    consciousness: trajectory === undefined ? 'A' : trajectoryConsciousness(trajectory, progress),
    flow: onTrajectoryOxygen ? max(patient.baseFlow, trajectory.oxygenFlow) : patient.baseFlow,
  };
}

/** Smooth noise: standard normal values at knots every 90 minutes, cosine-interpolated. */
function drift(seed: number, patient: number, salt: number, timeMs: number): number {
  const position = timeMs / DRIFT_KNOT_MS;
  const knot = floor(position);
  const fraction = (1 - cos(PI * (position - knot))) / 2;
  const word = patient * 64 + salt;
  const a = hashNormal(seed, word, knot);
  const b = hashNormal(seed, word, knot + 1);
  return a * (1 - fraction) + b * fraction;
}

export function clamp(value: number, low: number, high: number): number {
  return min(high, max(low, value));
}
