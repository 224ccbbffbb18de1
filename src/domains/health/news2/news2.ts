import type { News2Parameter, VitalSigns } from '../vitals/vital-signs.js';
import {
  airOrOxygenPoints,
  consciousnessPoints,
  pulsePoints,
  respRatePoints,
  spo2Points,
  systolicBpPoints,
  temperaturePoints,
} from './news2-bands.js';
import { news2Monitoring, news2Risk, type News2Monitoring, type News2Risk } from './news2-risk.js';

export interface News2Score {
  /** Sum over the parameters present; a missing parameter adds nothing and is listed in `missing`. */
  readonly total: number;
  readonly risk: News2Risk;
  /** Points per parameter; null when the parameter is missing. */
  readonly points: Readonly<Record<News2Parameter, number | null>>;
  readonly missing: readonly News2Parameter[];
  /** A 3 in any single parameter (the chart's red score). */
  readonly redScore: boolean;
  readonly monitoring: News2Monitoring;
}

/**
 * Scores one observation set on the RCP NEWS2 chart. Values must already be plausible (see
 * vitals/plausibility.ts); this function only bands them. Scale 2 SpO2 at ≥ 93 % needs to know air
 * or oxygen: without it the SpO2 points are missing too.
 */
export function scoreNews2(vitals: VitalSigns): News2Score {
  const { respRate, spo2, onOxygen, systolicBp, pulse, consciousness, temperature } = vitals;
  const points: Record<News2Parameter, number | null> = {
    resp_rate: respRate === undefined ? null : respRatePoints(respRate),
    spo2: spo2 === undefined ? null : (spo2Points(spo2, vitals.spo2Scale ?? 1, onOxygen) ?? null),
    on_oxygen: onOxygen === undefined ? null : airOrOxygenPoints(onOxygen),
    systolic_bp: systolicBp === undefined ? null : systolicBpPoints(systolicBp),
    pulse: pulse === undefined ? null : pulsePoints(pulse),
    consciousness: consciousness === undefined ? null : consciousnessPoints(consciousness),
    temperature: temperature === undefined ? null : temperaturePoints(temperature),
  };
  let total = 0;
  let redScore = false;
  const missing: News2Parameter[] = [];
  for (const [name, value] of Object.entries(points) as [News2Parameter, number | null][]) {
    if (value === null) missing.push(name);
    else {
      total += value;
      if (value === 3) redScore = true;
    }
  }
  const risk = news2Risk(total, redScore);
  return { total, risk, points, missing, redScore, monitoring: news2Monitoring(total, risk) };
}
