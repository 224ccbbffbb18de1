import { scoreNews2, type News2Score } from '../news2/news2.js';
import type { VitalSigns } from '../vitals/vital-signs.js';
import type { PatientState, TrackedVital } from './patient-state.js';

/**
 * How long a reading stays current for NEWS2, in hours after the hour it was taken: a 6-hour-old
 * temperature, or a 4-hour-old pulse, is not treated as current. FiO2 (which says air or oxygen)
 * is charted when the setting changes, so it stays current longer.
 */
export const NEWS2_VALIDITY_HOURS: Readonly<Partial<Record<TrackedVital, number>>> = { HR: 4, O2Sat: 4, SBP: 4, Resp: 4, Temp: 6 };
export const FIO2_VALIDITY_HOURS = 12;

/**
 * NEWS2 from the latest current readings of a patient: SpO2 on scale 1, air or oxygen from FiO2
 * (> 0.21 is oxygen) when one is current, consciousness missing (the PhysioNet data has none).
 */
export function news2FromState(state: PatientState): News2Score {
  const now = state.iculos;
  const current = (v: TrackedVital): number | undefined => {
    const track = state.tracks[v];
    const validity = NEWS2_VALIDITY_HOURS[v];
    if (track.last === null || track.lastHour === null || validity === undefined) return undefined;
    return now - track.lastHour < validity ? track.last : undefined;
  };
  const { fio2 } = state;
  const fio2Current = fio2.last !== null && fio2.lastHour !== null && now - fio2.lastHour < FIO2_VALIDITY_HOURS ? fio2.last : undefined;
  const vitals: VitalSigns = {
    respRate: current('Resp'),
    spo2: current('O2Sat'),
    spo2Scale: 1,
    onOxygen: fio2Current === undefined ? undefined : fio2Current > 0.21,
    systolicBp: current('SBP'),
    pulse: current('HR'),
    temperature: current('Temp'),
  };
  return scoreNews2(vitals);
}
