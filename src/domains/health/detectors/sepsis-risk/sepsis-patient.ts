import { MEASUREMENTS, type HourlyRow, type Measurement } from '../../sepsis/hourly-row.js';
import { newPatientState, type PatientState } from '../../sepsis/patient-state.js';
import { newAlarmState, type AlarmState } from '../alarm/alarm-ladder.js';

export const HOUR_MS = 3_600_000;
const MAP_AT = MEASUREMENTS.indexOf('MAP');
const SBP_AT = MEASUREMENTS.indexOf('SBP');
const DBP_AT = MEASUREMENTS.indexOf('DBP');

/**
 * One patient as the sepsis_risk detector keeps it (plain JSON for its keyed store): the sepsis
 * score's own PatientState, the hours (UTC hour indexes, epoch ms / 1 h) of its first hour (ICULOS
 * 1), of the next hour to score and of its latest reading, the readings of the hours not scored
 * yet as [sum, count] per PhysioNet column, the alarm, and the last scored probability.
 */
export interface SepsisPatient {
  state: PatientState;
  first: number;
  next: number;
  last: number;
  open: Record<string, number[]>;
  alarm: AlarmState;
  probability: number | null;
}

export function newSepsisPatient(hour: number, alarmLevels: number): SepsisPatient {
  return { state: newPatientState(), first: hour, next: hour, last: hour, open: {}, alarm: newAlarmState(alarmLevels), probability: null };
}

/**
 * Adds a reading to its hour; false when that hour was scored already (a reading later than the
 * hour's close). Before the first hour is scored, an earlier reading moves the patient's start
 * (`lead` empty hours before it).
 */
export function addReading(patient: SepsisPatient, hour: number, measurement: Measurement, value: number, lead: number): boolean {
  if (patient.state.hours === 0 && hour - lead < patient.first) patient.first = patient.next = hour - lead;
  if (hour < patient.next) return false;
  patient.last = Math.max(patient.last, hour);
  const sums = (patient.open[hour] ??= Array<number>(2 * MEASUREMENTS.length).fill(0));
  const at = 2 * MEASUREMENTS.indexOf(measurement);
  sums[at]! += value;
  sums[at + 1]!++;
  return true;
}

/** The next hour's row (the mean of each column's readings in it), taken out of `open`. */
export function takeHourRow(patient: SepsisPatient, patientId: string, deriveMap: boolean): HourlyRow {
  const hour = patient.next;
  const sums = patient.open[hour];
  delete patient.open[hour];
  const values: Partial<Record<Measurement, number>> = {};
  const mean = (j: number) => (sums !== undefined && sums[2 * j + 1]! > 0 ? sums[2 * j]! / sums[2 * j + 1]! : undefined);
  MEASUREMENTS.forEach((m, j) => {
    const v = mean(j);
    if (v !== undefined) values[m] = v;
  });
  if (deriveMap && values.MAP === undefined) {
    const sbp = mean(SBP_AT);
    const dbp = mean(DBP_AT);
    if (sbp !== undefined && dbp !== undefined) values[MEASUREMENTS[MAP_AT]!] = (sbp + 2 * dbp) / 3;
  }
  return { patientId, iculos: hour - patient.first + 1, values };
}
