import type { FindingInput, Severity } from '../../../../model/records.js';
import type { News2Score } from '../../news2/news2.js';
import { NEWS2_PARAMETERS } from '../../vitals/vital-signs.js';
import { ACVPU } from '../observation/observation.js';
import type { CurrentReading } from './news2-chart.js';
import { RISK_LEVELS } from './risk-levels.js';

export interface News2FindingInput {
  readonly patient: string;
  readonly score: News2Score;
  readonly current: Partial<Record<(typeof NEWS2_PARAMETERS)[number], CurrentReading>>;
  readonly spo2Scale: number;
  /** The band held (by hysteresis it may be above the score's own band). */
  readonly band: string;
  readonly bandLevel: number;
  readonly severity: Severity;
  readonly notify: 'escalation' | 'reminder';
  readonly bandSince: number;
  readonly at: number;
  readonly eventId: string;
  readonly thresholds: Readonly<Record<string, number>>;
}

/**
 * The finding that explains a NEWS2 escalation or reminder: the total and band, each current
 * parameter's value, points and age, the missing parameters, and the chart's monitoring frequency.
 */
export function news2Finding(input: News2FindingInput): FindingInput {
  const { score, current } = input;
  const values: Record<string, number> = {
    total: score.total,
    band: input.bandLevel,
    score_band: RISK_LEVELS.indexOf(score.risk),
    red_score: score.redScore ? 1 : 0,
    parameters: NEWS2_PARAMETERS.length - score.missing.length,
    spo2_scale: input.spo2Scale,
    monitoring_max_interval_h: score.monitoring.maxIntervalHours,
    band_since_min: Math.round((input.at - input.bandSince) / 60_000),
  };
  const parts: string[] = [];
  let oldest = input.at;
  for (const name of NEWS2_PARAMETERS) {
    const reading = current[name];
    const points = score.points[name];
    if (reading === undefined || points === null) {
      values[`${name}_missing`] = 1;
      continue;
    }
    const ageMin = Math.round(reading.ageMs / 60_000);
    oldest = Math.min(oldest, input.at - reading.ageMs);
    values[name] = reading.value;
    values[`${name}_points`] = points;
    values[`${name}_age_min`] = ageMin;
    if (points > 0) parts.push(`${name} ${display(name, reading.value)} +${points} (${ageMin} min ago)`);
  }
  const missing = score.missing.length > 0 ? `; missing ${score.missing.join(', ')}` : '';
  const still = input.notify === 'reminder' ? 'still ' : '';
  return {
    entity: input.patient,
    severity: input.severity,
    kind: input.notify === 'escalation' ? 'news2.escalation' : 'news2.reminder',
    title:
      `NEWS2 ${score.total} (${still}${input.band} risk${input.band === score.risk ? '' : `, scoring ${score.risk}`}) for patient ${input.patient}` +
      `${parts.length > 0 ? `: ${parts.join(', ')}` : ''}${missing}; monitoring ${score.monitoring.frequency}`,
    score: Math.min(1, score.total / 10),
    windowStart: oldest,
    windowEnd: input.at,
    values,
    thresholds: input.thresholds,
    eventIds: [input.eventId],
  };
}

function display(name: string, value: number): string {
  if (name === 'consciousness') return ACVPU[value] ?? String(value);
  if (name === 'on_oxygen') return value === 1 ? 'oxygen' : 'air';
  return String(value);
}
