import type { Consciousness, News2Parameter, Spo2Scale, VitalSigns } from '../../vitals/vital-signs.js';
import { NEWS2_PARAMETERS } from '../../vitals/vital-signs.js';
import { newAlarmState, type AlarmState } from '../alarm/alarm-ladder.js';
import { ACVPU, type Observation } from '../observation/observation.js';

/** Slot of the SpO2 scale after the seven NEWS2 parameters; it never goes stale. */
const SCALE = NEWS2_PARAMETERS.length;

/**
 * One patient's chart as the news2 detector keeps it: the latest reading of each parameter and
 * when it was taken (null: none yet), the latest event time seen for the patient, and the alarm.
 */
export interface News2Chart {
  /** Values in NEWS2_PARAMETERS order, then the SpO2 scale; consciousness as its ACVPU index. */
  v: (number | null)[];
  t: (number | null)[];
  at: number;
  alarm: AlarmState;
  /** An escalation waiting to settle: the reading that raised it; null when none waits. */
  pending: string | null;
}

export function newChart(levels: number): News2Chart {
  const slots = NEWS2_PARAMETERS.length + 1;
  return { v: Array<null>(slots).fill(null), t: Array<null>(slots).fill(null), at: -1, alarm: newAlarmState(levels), pending: null };
}

/** Takes a reading into the chart; false when the parameter is none of NEWS2's. An older reading never replaces a newer one. */
export function chartReading(chart: News2Chart, obs: Observation): boolean {
  const slot = obs.parameter === 'spo2_scale' ? SCALE : NEWS2_PARAMETERS.indexOf(obs.parameter as News2Parameter);
  if (slot < 0) return false;
  chart.at = Math.max(chart.at, obs.time);
  const taken = chart.t[slot];
  if (taken === null || taken === undefined || obs.time >= taken) {
    chart.v[slot] = obs.value;
    chart.t[slot] = obs.time;
  }
  return true;
}

/** A current parameter's reading and its age at the chart's time. */
export interface CurrentReading {
  readonly value: number;
  readonly ageMs: number;
}

/** The readings still within their validity window at the chart's latest time; stale ones are absent (missing). */
export function currentReadings(chart: News2Chart, validity: Readonly<Record<News2Parameter, number>>): Partial<Record<News2Parameter, CurrentReading>> {
  const out: Partial<Record<News2Parameter, CurrentReading>> = {};
  NEWS2_PARAMETERS.forEach((name, slot) => {
    const value = chart.v[slot];
    const taken = chart.t[slot];
    if (value === null || value === undefined || taken === null || taken === undefined) return;
    const ageMs = chart.at - taken;
    if (ageMs <= validity[name]) out[name] = { value, ageMs };
  });
  return out;
}

/** The chart's current readings as NEWS2 reads them; the SpO2 scale from the patient's record, else `defaultScale`. */
export function vitalsOf(current: Partial<Record<News2Parameter, CurrentReading>>, chart: News2Chart, defaultScale: Spo2Scale): VitalSigns {
  const scale = chart.v[SCALE];
  return {
    respRate: current.resp_rate?.value,
    spo2: current.spo2?.value,
    spo2Scale: scale === 1 || scale === 2 ? scale : defaultScale,
    onOxygen: current.on_oxygen === undefined ? undefined : current.on_oxygen.value === 1,
    systolicBp: current.systolic_bp?.value,
    pulse: current.pulse?.value,
    consciousness: current.consciousness === undefined ? undefined : (ACVPU[current.consciousness.value] as Consciousness),
    temperature: current.temperature?.value,
  };
}

export function spo2ScaleOf(chart: News2Chart, defaultScale: Spo2Scale): Spo2Scale {
  const scale = chart.v[SCALE];
  return scale === 1 || scale === 2 ? scale : defaultScale;
}

/** Whether every parameter the patient has ever had scored (none went stale since). */
export function isComplete(chart: News2Chart, score: { readonly points: Readonly<Record<News2Parameter, number | null>> }): boolean {
  return NEWS2_PARAMETERS.every((name, slot) => chart.v[slot] === null || score.points[name] !== null);
}
