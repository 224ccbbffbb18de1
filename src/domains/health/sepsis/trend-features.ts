import { NORMAL, type FeatureContext, type SepsisFeature } from './sepsis-features.js';
import { TRACKED_VITALS, type TrackedVital } from './patient-state.js';

/** Hours since a vital was last measured; this when it never was (beyond the 24 hours of history). */
const NEVER_HOURS = 48;

/** The readings taken in the last `hours` hours (this one included), oldest first, with their age in hours. */
function recentReadings(ctx: FeatureContext, v: TrackedVital, hours: number): { age: number; value: number }[] {
  const { carried, measured } = ctx.state.tracks[v];
  const out: { age: number; value: number }[] = [];
  const from = Math.max(0, measured.length - hours);
  for (let i = from; i < measured.length; i++) if (measured[i] === 1 && carried[i] !== null) out.push({ age: measured.length - 1 - i, value: carried[i]! });
  return out;
}

type Summary = 'mean' | 'min' | 'max' | 'slope';

/**
 * A window's readings summarised; without readings in the window, the last value carried forward
 * (slope 0), so a quiet window reads as "unchanged" rather than as a number trees might split on.
 */
function summarise(ctx: FeatureContext, v: TrackedVital, hours: number, what: Summary): number {
  const readings = recentReadings(ctx, v, hours);
  if (readings.length === 0) return what === 'slope' ? 0 : (ctx.state.tracks[v].last ?? NORMAL[v]);
  if (what === 'mean') return readings.reduce((s, r) => s + r.value, 0) / readings.length;
  if (what === 'min') return Math.min(...readings.map((r) => r.value));
  if (what === 'max') return Math.max(...readings.map((r) => r.value));
  if (readings.length < 2) return 0;
  // Least-squares slope per hour (age counts back, so time = −age).
  const mt = readings.reduce((s, r) => s - r.age, 0) / readings.length;
  const mv = readings.reduce((s, r) => s + r.value, 0) / readings.length;
  let sxy = 0;
  let sxx = 0;
  for (const r of readings) {
    sxy += (-r.age - mt) * (r.value - mv);
    sxx += (-r.age - mt) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

function perVital(v: TrackedVital): SepsisFeature[] {
  const windows = [6, 12].flatMap((hours) =>
    (['mean', 'min', 'max', 'slope'] as const).map((what) => ({ name: `${v}_${what}${hours}h`, value: (c: FeatureContext) => summarise(c, v, hours, what) })),
  );
  return [
    { name: `${v}_hours_since`, value: (c) => (c.state.tracks[v].lastHour === null ? NEVER_HOURS : Math.min(NEVER_HOURS, c.row.iculos - c.state.tracks[v].lastHour!)) },
    ...windows,
  ];
}

/**
 * The inputs the Challenge's boosted-tree entries used beside the latest values: per vital, hours
 * since its last reading and the mean, minimum, maximum and least-squares slope of its readings over
 * the last 6 and 12 hours. Read from the 24 hours of history `PatientState` already keeps.
 */
export const TREND_FEATURES: readonly SepsisFeature[] = TRACKED_VITALS.flatMap(perVital);
