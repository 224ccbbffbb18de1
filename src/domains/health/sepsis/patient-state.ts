import { plausibleOrMissing, type VitalName } from '../vitals/plausibility.js';
import type { HourlyRow, Measurement } from './hourly-row.js';

/** The vitals the sepsis score follows per patient, and the plausibility check each goes through. */
export const TRACKED = { HR: 'pulse', O2Sat: 'spo2', Temp: 'temperature', SBP: 'systolic_bp', MAP: 'mean_bp', DBP: 'diastolic_bp', Resp: 'resp_rate' } as const;
export type TrackedVital = keyof typeof TRACKED;
export const TRACKED_VITALS = Object.keys(TRACKED) as TrackedVital[];

/** Hours of history kept per vital (trends over 6 and 12 h, measurement counts over 24 h). */
export const HISTORY_HOURS = 24;

/** Baseline = mean of a patient's readings, then an exponential average over about this many readings. */
const BASELINE_READINGS = 24;

export interface VitalTrack {
  /** Last plausible reading and the ICULOS hour it was taken, null before the first. */
  last: number | null;
  lastHour: number | null;
  readings: number;
  /** The patient's own normal before this hour's reading (null before two readings). */
  baseline: number | null;
  mean: number | null;
  /** Last reading as of each of the recent hours (newest last; null before the first reading). */
  carried: (number | null)[];
  /** 1 for each recent hour with a reading. */
  measured: number[];
}

/**
 * Everything the sepsis score remembers about one patient: plain JSON, so a detector can keep it
 * in its keyed state store and restore it after a restart. Updated once per patient-hour, in
 * order; each hour's features read this hour and earlier only.
 */
export interface PatientState {
  hours: number;
  iculos: number;
  tracks: Record<TrackedVital, VitalTrack>;
  fio2: { last: number | null; lastHour: number | null };
  etco2Readings: number;
  /** NEWS2 totals of the recent hours (newest last). */
  news2: number[];
}

export function newPatientState(): PatientState {
  const tracks = {} as Record<TrackedVital, VitalTrack>;
  for (const v of TRACKED_VITALS) tracks[v] = { last: null, lastHour: null, readings: 0, baseline: null, mean: null, carried: [], measured: [] };
  return { hours: 0, iculos: 0, tracks, fio2: { last: null, lastHour: null }, etco2Readings: 0, news2: [] };
}

/** Takes one hour's row into the state; implausible readings count as not measured. */
export function observeHour(state: PatientState, row: HourlyRow): void {
  state.hours++;
  state.iculos = row.iculos;
  for (const v of TRACKED_VITALS) {
    const track = state.tracks[v];
    const value = reading(row, v, TRACKED[v]);
    track.baseline = track.readings >= 2 ? track.mean : null;
    if (value !== undefined) {
      track.readings++;
      const weight = 1 / Math.min(track.readings, BASELINE_READINGS);
      track.mean = track.mean === null ? value : track.mean + weight * (value - track.mean);
      track.last = value;
      track.lastHour = row.iculos;
    }
    push(track.carried, track.last);
    push(track.measured, value === undefined ? 0 : 1);
  }
  const fio2 = reading(row, 'FiO2', 'fio2');
  if (fio2 !== undefined) state.fio2 = { last: fio2, lastHour: row.iculos };
  if (reading(row, 'EtCO2', 'etco2') !== undefined) state.etco2Readings++;
}

export function recordNews2(state: PatientState, total: number): void {
  push(state.news2, total);
}

function reading(row: HourlyRow, column: Measurement, name: VitalName): number | undefined {
  return plausibleOrMissing(name, row.values[column]);
}

function push<T>(recent: T[], value: T): void {
  recent.push(value);
  if (recent.length > HISTORY_HOURS) recent.shift();
}
