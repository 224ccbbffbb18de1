import { featuresForHour } from './sepsis-scorer.js';
import { SEPSIS_FEATURES, type SepsisFeature } from './sepsis-features.js';
import { newPatientState, type PatientState } from './patient-state.js';
import { patientHalf, type PatientHalf } from './patient-split.js';
import { readPhysionetFile } from './physionet-csv.js';

/**
 * One half's patient-hours replayed through the scoring code, in file order: input vectors
 * (row-major; the logistic model's inputs unless told which), NEWS2, and labels kept apart, with
 * each patient's row range for the utility.
 */
export interface HourTable {
  readonly dims: number;
  readonly rows: Float64Array;
  readonly news2: Float64Array;
  readonly labels: Uint8Array;
  readonly iculos: Float64Array;
  /** [patientId, first row, end row) per patient, in order of first appearance. */
  readonly patients: readonly { readonly id: string; readonly from: number; readonly to: number }[];
}

export async function readHourTable(file: string, half: PatientHalf, features: readonly SepsisFeature[] = SEPSIS_FEATURES): Promise<HourTable> {
  const dims = features.length;
  const states = new Map<string, PatientState>();
  let capacity = 1 << 16;
  let rows = new Float64Array(capacity * dims);
  let news2 = new Float64Array(capacity);
  let labels = new Uint8Array(capacity);
  let iculos = new Float64Array(capacity);
  const patients: { id: string; from: number; to: number }[] = [];
  const byId = new Map<string, { id: string; from: number; to: number }>();
  let n = 0;
  for await (const { row, label } of readPhysionetFile(file)) {
    if (patientHalf(row.patientId) !== half) continue;
    if (n === capacity) {
      capacity *= 2;
      rows = grow(rows, capacity * dims);
      news2 = grow(news2, capacity);
      labels = grow(labels, capacity);
      iculos = grow(iculos, capacity);
    }
    let state = states.get(row.patientId);
    if (state === undefined) states.set(row.patientId, (state = newPatientState()));
    const hour = featuresForHour(state, row, rows.subarray(n * dims, (n + 1) * dims), features);
    news2[n] = hour.news2;
    labels[n] = label ?? 0;
    iculos[n] = row.iculos;
    let patient = byId.get(row.patientId);
    if (patient === undefined) {
      patient = { id: row.patientId, from: n, to: n };
      byId.set(row.patientId, patient);
      patients.push(patient);
    }
    if (patient.to !== n) throw new RangeError(`patient ${row.patientId}: rows are not contiguous in the file`);
    patient.to = n + 1;
    n++;
  }
  return { dims, rows: rows.subarray(0, n * dims), news2: news2.subarray(0, n), labels: labels.subarray(0, n), iculos: iculos.subarray(0, n), patients };
}

/** The rows and labels of some of a table's patients, as one block (a fold's fitting rows). */
export function rowsOf(table: HourTable, patients: HourTable['patients']): { x: Float64Array; y: Uint8Array } {
  const n = patients.reduce((s, p) => s + p.to - p.from, 0);
  const x = new Float64Array(n * table.dims);
  const y = new Uint8Array(n);
  let k = 0;
  for (const p of patients) {
    x.set(table.rows.subarray(p.from * table.dims, p.to * table.dims), k * table.dims);
    y.set(table.labels.subarray(p.from, p.to), k);
    k += p.to - p.from;
  }
  return { x, y };
}

function grow<T extends Float64Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
