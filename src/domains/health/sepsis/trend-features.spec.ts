import type { HourlyRow } from './hourly-row.js';
import { newPatientState } from './patient-state.js';
import { BOOSTED_FEATURE_NAMES, BOOSTED_FEATURES } from './boosted-features.js';
import { featuresForHour } from './sepsis-scorer.js';

const row = (iculos: number, values: HourlyRow['values']): HourlyRow => ({ patientId: 'p1', iculos, values });
const feature = (x: Float64Array, name: string) => x[BOOSTED_FEATURE_NAMES.indexOf(name)];

describe('boosted-tree inputs', () => {
  it('have unique names and no hinges', () => {
    expect(new Set(BOOSTED_FEATURE_NAMES).size).toBe(BOOSTED_FEATURE_NAMES.length);
    expect(BOOSTED_FEATURE_NAMES.filter((n) => n.includes('_above_'))).toEqual([]);
  });

  it("summarise a vital's readings over 6 and 12 hours and count the hours since the last", () => {
    const state = newPatientState();
    let x: Float64Array = new Float64Array();
    // HR read at hours 1, 3, 5, 7, 9 (60, 64, 68, 72, 76: +2 per hour), nothing at hours 10 and 11.
    for (let h = 1; h <= 11; h++) x = featuresForHour(state, row(h, h % 2 === 1 && h <= 9 ? { HR: 58 + 2 * h } : {}), undefined, BOOSTED_FEATURES).features;
    expect(feature(x, 'HR_hours_since')).toBe(2);
    // Last 6 hours (6..11): readings 72 and 76.
    expect(feature(x, 'HR_mean6h')).toBe(74);
    expect(feature(x, 'HR_min6h')).toBe(72);
    expect(feature(x, 'HR_max6h')).toBe(76);
    expect(feature(x, 'HR_slope6h')).toBeCloseTo(2, 12);
    expect(feature(x, 'HR_mean12h')).toBe(68);
    expect(feature(x, 'HR_slope12h')).toBeCloseTo(2, 12);
    // Never measured: the stand-in value, no slope, and the cap on hours since.
    expect(feature(x, 'Temp_mean6h')).toBe(37);
    expect(feature(x, 'Temp_slope6h')).toBe(0);
    expect(feature(x, 'Temp_hours_since')).toBe(48);
  });

  it('read a quiet window as the last value, unchanged', () => {
    const state = newPatientState();
    let x: Float64Array = new Float64Array();
    for (let h = 1; h <= 10; h++) x = featuresForHour(state, row(h, h === 1 ? { Resp: 22 } : {}), undefined, BOOSTED_FEATURES).features;
    expect(feature(x, 'Resp_mean6h')).toBe(22);
    expect(feature(x, 'Resp_slope6h')).toBe(0);
    expect(feature(x, 'Resp_mean12h')).toBe(22);
  });
});
