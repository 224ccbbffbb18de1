import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HourlyRow } from './hourly-row.js';
import { news2FromState } from './news2-from-state.js';
import { newPatientState, observeHour } from './patient-state.js';
import { PhysionetRowParser } from './physionet-csv.js';
import { SEPSIS_FEATURE_NAMES } from './sepsis-features.js';
import { featuresForHour } from './sepsis-scorer.js';

const row = (iculos: number, values: HourlyRow['values']): HourlyRow => ({ patientId: 'p1', iculos, values, age: 70, gender: 1, hospAdmTime: -5 });
const feature = (x: Float64Array, name: string) => x[SEPSIS_FEATURE_NAMES.indexOf(name)];

describe('sepsis features', () => {
  it('have unique names', () => expect(new Set(SEPSIS_FEATURE_NAMES).size).toBe(SEPSIS_FEATURE_NAMES.length));

  it("are causal: an hour's inputs do not change with what comes after it", () => {
    const hours = Array.from({ length: 20 }, (_, i) => row(i + 1, { HR: 80 + i, Resp: 16 + (i % 5), SBP: 120 - i, Temp: i % 4 === 0 ? 37 + i / 20 : undefined }));
    const run = (rows: HourlyRow[]) => {
      const state = newPatientState();
      return rows.map((r) => Float64Array.from(featuresForHour(state, r).features));
    };
    const a = run(hours);
    const b = run([...hours.slice(0, 10), ...hours.slice(10).map((r) => row(r.iculos, { HR: 150, Resp: 35, SBP: 70, Temp: 40 }))]);
    for (let t = 0; t < 10; t++) expect(b[t]).toEqual(a[t]);
    expect(b[10]).not.toEqual(a[10]);
  });

  it("follow a patient's baseline, 6-hour change and missingness", () => {
    const state = newPatientState();
    let x: Float64Array = new Float64Array();
    for (let h = 1; h <= 8; h++) x = featuresForHour(state, row(h, { HR: h <= 6 ? 60 : 100 })).features;
    expect(feature(x, 'HR')).toBe(100);
    expect(feature(x, 'HR_d6')).toBe(40); // 100 at hour 8 vs 60 at hour 2
    expect(feature(x, 'HR_dev')).toBeCloseTo(100 - (60 * 6 + 100) / 7, 10); // baseline before hour 8's reading
    expect(feature(x, 'Temp_unseen')).toBe(1);
    expect(feature(x, 'HR_unseen')).toBe(0);
    expect(feature(x, 'HR_above_90')).toBe(10);
  });

  it("give a stream without an admission time the fitting half's median stay in hospital before the ICU, not 0", () => {
    const { features } = featuresForHour(newPatientState(), { patientId: 'live', iculos: 2, values: { HR: 80 } });
    expect(feature(features, 'log_hospital_hours')).toBeCloseTo(Math.log1p(8), 12);
    expect(feature(featuresForHour(newPatientState(), row(2, { HR: 80 })).features, 'log_hospital_hours')).toBeCloseTo(Math.log1p(5), 12);
  });

  it('treats an implausible reading as not measured', () => {
    const state = newPatientState();
    featuresForHour(state, row(1, { O2Sat: 95 }));
    const { features } = featuresForHour(state, row(2, { O2Sat: 140 }));
    expect(feature(features, 'O2Sat')).toBe(95);
    expect(state.tracks.O2Sat.readings).toBe(1);
  });

  it('the state is plain JSON: a restored copy scores the next hour the same', () => {
    const state = newPatientState();
    for (let h = 1; h <= 5; h++) featuresForHour(state, row(h, { HR: 90 + h, Temp: 38 }));
    const restored = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(featuresForHour(restored, row(6, { HR: 120 })).features).toEqual(featuresForHour(state, row(6, { HR: 120 })).features);
  });
});

describe('NEWS2 from a patient state', () => {
  it('uses readings while current, and FiO2 for air or oxygen', () => {
    const state = newPatientState();
    observeHour(state, row(1, { Temp: 39.5, HR: 120, FiO2: 0.5 }));
    expect(news2FromState(state).points).toMatchObject({ temperature: 2, pulse: 2, on_oxygen: 2, consciousness: null });
    for (let h = 2; h <= 6; h++) observeHour(state, row(h, {}));
    const later = news2FromState(state); // hour 6: pulse 5 h old (stale), temperature 5 h old (current)
    expect(later.points.pulse).toBeNull();
    expect(later.points.temperature).toBe(2);
    observeHour(state, row(7, {}));
    expect(news2FromState(state).points.temperature).toBeNull(); // a 6-hour-old temperature is not current
  });
});

describe('PhysioNet rows', () => {
  it('reads the shared format by header, CRLF and empty cells; the label stays apart from the row', () => {
    const lines = readFileSync(path.resolve('test/fixtures/health/physionet-sample.csv'), 'utf8').split('\n');
    const parser = new PhysionetRowParser(lines[0]!);
    const first = parser.parse(lines[1]!, 2);
    expect(first.row).toEqual({ patientId: 's001', iculos: 1, values: { HR: 76.9, O2Sat: 96, Temp: 36.96, SBP: 121, MAP: 79, DBP: 60, Resp: 16 }, age: 67, gender: 0, hospAdmTime: -12.5 });
    expect(first.label).toBe(0);
    expect('SepsisLabel' in first.row).toBe(false);
  });

  it('names the line of a row without ICULOS', () => {
    const parser = new PhysionetRowParser('patient_id,HR,ICULOS');
    expect(() => parser.parse('p1,80,', 7)).toThrow('line 7: needs patient_id and a numeric ICULOS');
  });
});
