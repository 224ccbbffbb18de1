import type { News2Score } from '../news2/news2.js';
import type { HourlyRow } from './hourly-row.js';
import { TRACKED_VITALS, type PatientState, type TrackedVital } from './patient-state.js';

/** What a feature reads: the patient's state after this hour's row, the row, and this hour's NEWS2. */
export interface FeatureContext {
  readonly state: PatientState;
  readonly row: HourlyRow;
  readonly news2: News2Score;
}

export interface SepsisFeature {
  readonly name: string;
  readonly value: (ctx: FeatureContext) => number;
}

/** Stand-ins for a vital never measured yet (its `_unseen` indicator carries the missingness). */
export const NORMAL: Record<TrackedVital, number> = { HR: 80, O2Sat: 97, Temp: 37, SBP: 120, MAP: 80, DBP: 60, Resp: 18 };

const last = (ctx: FeatureContext, v: TrackedVital) => ctx.state.tracks[v].last ?? NORMAL[v];

/** Change of the carried-forward value over `hours` (0 when either end has none). */
function change(ctx: FeatureContext, v: TrackedVital, hours: number): number {
  const carried = ctx.state.tracks[v].carried;
  const now = carried.at(-1);
  const before = carried.length > hours ? carried[carried.length - 1 - hours] : null;
  return now === null || now === undefined || before === null || before === undefined ? 0 : now - before;
}

function extreme(ctx: FeatureContext, v: TrackedVital, hours: number, pick: (a: number, b: number) => number): number {
  let out: number | undefined;
  for (const value of ctx.state.tracks[v].carried.slice(-hours)) if (value !== null) out = out === undefined ? value : pick(out, value);
  return out ?? NORMAL[v];
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const hinge = (x: number) => Math.max(0, x);

/** Hinges max(0, x − knot): with them the logistic model bends each input's effect piecewise linearly. */
function knots(name: string, get: (c: FeatureContext) => number, at: readonly number[]): SepsisFeature[] {
  return at.map((k) => ({ name: `${name}_above_${String(k).replace('.', '_').replace('-', 'minus')}`, value: (c: FeatureContext) => hinge(get(c) - k) }));
}

const KNOTS: Readonly<Record<TrackedVital, readonly number[]>> = {
  HR: [60, 70, 80, 90, 100, 110, 120],
  O2Sat: [90, 93, 95, 97, 99],
  Temp: [36, 36.5, 37, 37.5, 38, 38.5, 39],
  SBP: [90, 100, 110, 120, 140, 160],
  MAP: [60, 65, 70, 80, 90, 100],
  DBP: [40, 50, 60, 70, 80],
  Resp: [12, 16, 20, 24, 28, 32],
};

function perVital(v: TrackedVital): SepsisFeature[] {
  return [
    { name: v, value: (c) => last(c, v) },
    { name: `${v}_unseen`, value: (c) => (c.state.tracks[v].last === null ? 1 : 0) },
    { name: `${v}_dev`, value: (c) => (c.state.tracks[v].baseline === null ? 0 : last(c, v) - c.state.tracks[v].baseline!) },
    { name: `${v}_d6`, value: (c) => change(c, v, 6) },
    { name: `${v}_n24`, value: (c) => sum(c.state.tracks[v].measured) },
    ...knots(v, (c) => last(c, v), KNOTS[v]),
  ];
}

/**
 * The sepsis score's inputs, in model order, each from this hour and earlier only: per vital the
 * latest reading, whether it was ever measured, its deviation from the patient's own baseline, its
 * 6-hour change and how often it was measured in 24 h; abnormality hinges; 12-hour extremes;
 * NEWS2 and its trend; qSOFA-style criteria (respiration ≥ 22, systolic ≤ 100); time in ICU; a few
 * products with time in ICU (and NEWS2 with age); age, sex, time in hospital before the ICU; and
 * oxygen or ventilation in use.
 */
export const SEPSIS_FEATURES: readonly SepsisFeature[] = [
  ...TRACKED_VITALS.flatMap(perVital),
  { name: 'HR_over_90', value: (c) => hinge(last(c, 'HR') - 90) },
  { name: 'HR_under_60', value: (c) => hinge(60 - last(c, 'HR')) },
  { name: 'O2Sat_under_96', value: (c) => hinge(96 - last(c, 'O2Sat')) },
  { name: 'Temp_over_37_5', value: (c) => hinge(last(c, 'Temp') - 37.5) },
  { name: 'Temp_under_36_5', value: (c) => hinge(36.5 - last(c, 'Temp')) },
  { name: 'SBP_under_110', value: (c) => hinge(110 - last(c, 'SBP')) },
  { name: 'MAP_under_70', value: (c) => hinge(70 - last(c, 'MAP')) },
  { name: 'Resp_over_20', value: (c) => hinge(last(c, 'Resp') - 20) },
  { name: 'Resp_under_12', value: (c) => hinge(12 - last(c, 'Resp')) },
  { name: 'HR_max12', value: (c) => extreme(c, 'HR', 12, Math.max) },
  { name: 'Resp_max12', value: (c) => extreme(c, 'Resp', 12, Math.max) },
  { name: 'Temp_max12', value: (c) => extreme(c, 'Temp', 12, Math.max) },
  { name: 'Temp_min12', value: (c) => extreme(c, 'Temp', 12, Math.min) },
  { name: 'SBP_min12', value: (c) => extreme(c, 'SBP', 12, Math.min) },
  { name: 'MAP_min12', value: (c) => extreme(c, 'MAP', 12, Math.min) },
  { name: 'shock_index', value: (c) => last(c, 'HR') / Math.max(last(c, 'SBP'), 40) },
  { name: 'news2', value: (c) => c.news2.total },
  { name: 'news2_missing', value: (c) => c.news2.missing.length },
  { name: 'news2_d6', value: (c) => newsChange(c.state.news2, 6) },
  { name: 'news2_max12', value: (c) => Math.max(...c.state.news2.slice(-12)) },
  { name: 'qsofa_resp_ge_22', value: (c) => (last(c, 'Resp') >= 22 ? 1 : 0) },
  { name: 'qsofa_sbp_le_100', value: (c) => (last(c, 'SBP') <= 100 ? 1 : 0) },
  { name: 'iculos', value: (c) => c.row.iculos },
  { name: 'log_iculos', value: (c) => Math.log1p(Math.max(c.row.iculos, 0)) },
  { name: 'iculos_le_4', value: (c) => (c.row.iculos <= 4 ? 1 : 0) },
  ...knots('iculos', (c) => c.row.iculos, [6, 12, 24, 48, 96, 168]),
  ...knots('news2', (c) => c.news2.total, [2, 4, 6]),
  ...knots('Temp_dev', (c) => (c.state.tracks.Temp.baseline === null ? 0 : last(c, 'Temp') - c.state.tracks.Temp.baseline), [-0.5, 0.5]),
  ...knots('HR_dev', (c) => (c.state.tracks.HR.baseline === null ? 0 : last(c, 'HR') - c.state.tracks.HR.baseline), [-10, 10]),
  { name: 'age', value: (c) => c.row.age ?? 62 },
  { name: 'age_over_65', value: (c) => hinge((c.row.age ?? 62) - 65) },
  ...knots('age', (c) => c.row.age ?? 62, [40, 50, 60, 70, 80]),
  { name: 'male', value: (c) => (c.row.gender === 1 ? 1 : 0) },
  { name: 'log_hospital_hours', value: logHospitalHours },
  ...knots('log_hospital_hours', logHospitalHours, [1, 3, 5]),
  { name: 'fio2', value: (c) => c.state.fio2.last ?? 0.21 },
  { name: 'fio2_seen', value: (c) => (c.state.fio2.last === null ? 0 : 1) },
  { name: 'etco2_seen', value: (c) => (c.state.etco2Readings > 0 ? 1 : 0) },
  // Time in ICU scales these effects: the same tachycardia or NEWS2 means more days into a stay than on admission.
  { name: 'news2_x_log_iculos', value: (c) => c.news2.total * logIculos(c) },
  { name: 'shock_index_x_log_iculos', value: (c) => (last(c, 'HR') / Math.max(last(c, 'SBP'), 40)) * logIculos(c) },
  { name: 'HR_dev_x_log_iculos', value: (c) => deviation(c, 'HR') * logIculos(c) },
  { name: 'Temp_dev_x_log_iculos', value: (c) => deviation(c, 'Temp') * logIculos(c) },
  { name: 'Resp_x_log_iculos', value: (c) => last(c, 'Resp') * logIculos(c) },
  { name: 'news2_x_age', value: (c) => c.news2.total * ((c.row.age ?? 62) - 62) },
  { name: 'measured_now', value: (c) => TRACKED_VITALS.reduce((n, v) => n + (c.state.tracks[v].measured.at(-1) ?? 0), 0) },
];

export const SEPSIS_FEATURE_NAMES: readonly string[] = SEPSIS_FEATURES.map((f) => f.name);

/** This hour's input vector of `features` (the logistic model's by default), written into `out` when given. */
export function featureVector(ctx: FeatureContext, out?: Float64Array, features: readonly SepsisFeature[] = SEPSIS_FEATURES): Float64Array {
  out ??= new Float64Array(features.length);
  for (let j = 0; j < features.length; j++) out[j] = features[j]!.value(ctx);
  return out;
}

/**
 * Hours in hospital before the ICU. A live stream's observations carry no admission time: they get
 * the fitting half's median stay (8 h) rather than 0, which in the data is a real and riskier value
 * (a direct ICU admission). Every PhysioNet row has HospAdmTime, so fitting and evaluation never use it.
 */
const UNKNOWN_HOSPITAL_HOURS = 8;

function logHospitalHours(ctx: FeatureContext): number {
  const hours = ctx.row.hospAdmTime === undefined ? UNKNOWN_HOSPITAL_HOURS : -ctx.row.hospAdmTime;
  return Math.log1p(Math.min(Math.max(hours, 0), 2000));
}

function logIculos(ctx: FeatureContext): number {
  return Math.log1p(Math.max(ctx.row.iculos, 0));
}

function deviation(ctx: FeatureContext, v: TrackedVital): number {
  const baseline = ctx.state.tracks[v].baseline;
  return baseline === null ? 0 : last(ctx, v) - baseline;
}

function newsChange(totals: readonly number[], hours: number): number {
  return totals.length > hours ? totals.at(-1)! - totals[totals.length - 1 - hours]! : 0;
}
