import { news2FromState } from './news2-from-state.js';
import type { HourlyRow } from './hourly-row.js';
import { newPatientState, observeHour, recordNews2, type PatientState } from './patient-state.js';
import { featureVector, type SepsisFeature } from './sepsis-features.js';
import { scoreSepsis, sepsisInputs, type SepsisModel } from './sepsis-model.js';

export interface HourScore {
  readonly news2: number;
  readonly probability: number;
  readonly alert: boolean;
  readonly features: Float64Array;
}

/**
 * Takes one patient-hour into that patient's state and returns its input vector and NEWS2 (the
 * step a detector runs per event with the state from its keyed store).
 */
export function featuresForHour(state: PatientState, row: HourlyRow, out?: Float64Array, inputs?: readonly SepsisFeature[]): { news2: number; features: Float64Array } {
  observeHour(state, row);
  const news2 = news2FromState(state);
  recordNews2(state, news2.total);
  return { news2: news2.total, features: featureVector({ state, row, news2 }, out, inputs) };
}

/**
 * One patient-hour scored: `featuresForHour` then the model. The one scoring step the backtest
 * (SepsisStreamScorer) and the sepsis_risk detector share.
 */
export function scoreHour(state: PatientState, row: HourlyRow, model: SepsisModel | undefined): HourScore {
  const { news2, features } = featuresForHour(state, row, undefined, sepsisInputs(model));
  const s = model === undefined ? { probability: NaN, alert: false } : scoreSepsis(model, features);
  return { news2, probability: s.probability, alert: s.alert, features };
}

/** Scores a stream of patient-hours in order, keeping each patient's state (for replays and evaluation). */
export class SepsisStreamScorer {
  private readonly states = new Map<string, PatientState>();

  constructor(private readonly model?: SepsisModel) {}

  score(row: HourlyRow): HourScore {
    let state = this.states.get(row.patientId);
    if (state === undefined) this.states.set(row.patientId, (state = newPatientState()));
    return scoreHour(state, row, this.model);
  }
}
