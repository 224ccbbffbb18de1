import type { Random } from '../../../simulate/random.js';
import { scoreNews2, type News2Score } from '../news2/news2.js';
import type { Reading } from './fhir-observation.js';
import { clamp, latentVitals, type WardPatient } from './ward-patient.js';

// Bound once: called per event (see random.ts).
const { round } = Math;

export type ReadingKind = Reading['kind'];
export type ReadingSource = 'monitor' | 'manual';

/**
 * Measures one parameter of a patient at `timeMs`: the true value plus the noise of how it is
 * taken. Monitors are noisier for respiration (impedance), nurses count breaths over 30 s (so
 * manual rates are mostly even); monitors send both SpO2 codes, the chart only 59408-5.
 */
export function measure(
  patient: WardPatient,
  kind: ReadingKind,
  timeMs: number,
  source: ReadingSource,
  random: Random,
  seed: number,
  rhythm: (timeMs: number) => number,
): Reading {
  const latent = latentVitals(patient, timeMs, seed, rhythm);
  const v = latent.values;
  switch (kind) {
    case 'pulse':
      return { kind, value: round(clamp(v.pulse + 2 * random.normal(), 25, 220)) };
    case 'resp_rate': {
      const rate = clamp(v.resp_rate + (source === 'monitor' ? 1.5 : 1.2) * random.normal(), 4, 60);
      return { kind, value: source === 'manual' && random.chance(0.6) ? 2 * round(rate / 2) : round(rate) };
    }
    case 'spo2':
      return { kind, value: round(clamp(v.spo2 + 0.7 * random.normal(), 60, 100)), codes: source === 'monitor' ? ['59408-5', '2708-6'] : ['59408-5'] };
    case 'bp': {
      const systolic = round(clamp(v.systolic_bp + 5 * random.normal(), 50, 260));
      const diastolic = round(clamp(v.diastolic_bp + 4 * random.normal(), 25, systolic - 10));
      return { kind, systolic, diastolic };
    }
    case 'temperature': {
      const celsius = clamp(v.temperature + 0.1 * random.normal(), 32, 42.5);
      return patient.bed.fahrenheit ? { kind, value: round1((celsius * 9) / 5 + 32), fahrenheit: true } : { kind, value: round1(celsius), fahrenheit: false };
    }
    case 'consciousness':
      return { kind, value: latent.consciousness };
    case 'oxygen':
      return { kind, value: latent.flow };
  }
}

/** NEWS2 of the patient's true state, as a nurse's full set of observations would score it. */
export function trueNews2(patient: WardPatient, timeMs: number, seed: number, rhythm: (timeMs: number) => number): News2Score {
  const { values, consciousness, flow } = latentVitals(patient, timeMs, seed, rhythm);
  return scoreNews2({
    respRate: round(values.resp_rate),
    spo2: round(clamp(values.spo2, 0, 100)),
    spo2Scale: patient.spo2Scale,
    onOxygen: flow > 0,
    systolicBp: round(values.systolic_bp),
    pulse: round(values.pulse),
    consciousness,
    temperature: round1(values.temperature),
  });
}

function round1(value: number): number {
  return round(value * 10) / 10;
}
