import type { Consciousness } from '../vitals/vital-signs.js';

export const HEALTH_SCENARIOS = ['deterioration', 'sepsis'] as const;
export type HealthScenario = (typeof HEALTH_SCENARIOS)[number];

/** The continuous vitals the simulator models (consciousness and oxygen follow from the trajectory). */
export type ContinuousVital = 'pulse' | 'resp_rate' | 'spo2' | 'systolic_bp' | 'diastolic_bp' | 'temperature';

/** An injected, labelled trajectory of one patient: vitals move from their baseline to a peak. */
export interface Trajectory {
  readonly scenario: HealthScenario;
  readonly onsetMs: number;
  readonly peakMs: number;
  /** Scales every shift (0.85-1.25): not every patient gets as sick. */
  readonly severity: number;
  /** Sepsis only: about one in five is hypothermic instead of febrile. */
  readonly hypothermia: boolean;
  /** The worst consciousness this patient reaches, and from which progress. */
  readonly confusion: Consciousness;
  readonly confusionFrom: number;
  /** Nurses start oxygen when SpO2 falls: from this progress, at `oxygenFlow` L/min. */
  readonly oxygenFrom: number;
  readonly oxygenFlow: number;
}

/**
 * Shift of each vital at full progress. Deterioration (respiratory or cardiac): tachypnoea,
 * tachycardia, falling SpO2 and BP. Sepsis: fever (or hypothermia), tachycardia, tachypnoea,
 * hypotension, some desaturation. Both reach NEWS2 ≥ 7 from about half way.
 */
const SHIFTS: Record<HealthScenario, Record<ContinuousVital, number>> = {
  deterioration: { pulse: 38, resp_rate: 13, spo2: -9, systolic_bp: -32, diastolic_bp: -18, temperature: 0.2 },
  sepsis: { pulse: 42, resp_rate: 11, spo2: -4, systolic_bp: -40, diastolic_bp: -22, temperature: 2.3 },
};
const HYPOTHERMIA_SHIFT = -2.0;
/** SpO2 points oxygen gives back once started (it corrects desaturation only in part). */
const OXYGEN_GAIN = 2;

/**
 * Progress 0 before onset to 1 at the peak, slow at first and then faster (a patient compensates
 * for a while): ((t - onset) / (peak - onset))^1.6.
 */
export function progressAt(trajectory: Trajectory, timeMs: number): number {
  if (timeMs <= trajectory.onsetMs) return 0;
  if (timeMs >= trajectory.peakMs) return 1;
  return ((timeMs - trajectory.onsetMs) / (trajectory.peakMs - trajectory.onsetMs)) ** 1.6;
}

export function trajectoryShift(trajectory: Trajectory, vital: ContinuousVital, progress: number): number {
  if (progress <= 0) return 0;
  let shift = SHIFTS[trajectory.scenario][vital];
  let amount = progress;
  if (vital === 'temperature' && trajectory.scenario === 'sepsis') {
    if (trajectory.hypothermia) shift = HYPOTHERMIA_SHIFT;
    // Fever comes early in sepsis: linear in time rather than accelerating.
    amount = progress ** (1 / 1.6);
  }
  const base = shift * trajectory.severity * amount;
  return vital === 'spo2' && progress >= trajectory.oxygenFrom ? base + OXYGEN_GAIN : base;
}

export function trajectoryConsciousness(trajectory: Trajectory, progress: number): Consciousness {
  if (progress < trajectory.confusionFrom) return 'A';
  // A patient who will reach V is confused first.
  if (trajectory.confusion === 'V' && progress < (1 + trajectory.confusionFrom) / 2) return 'C';
  return trajectory.confusion;
}

/** When progress reaches `progress` (the inverse of progressAt). */
export function timeAtProgress(trajectory: Trajectory, progress: number): number {
  return trajectory.onsetMs + (trajectory.peakMs - trajectory.onsetMs) * progress ** (1 / 1.6);
}

/** Draws a trajectory's per-patient details from `unit()` (uniform in [0, 1)). */
export function drawTrajectory(scenario: HealthScenario, onsetMs: number, peakMs: number, unit: () => number): Trajectory {
  const severity = 0.85 + 0.4 * unit();
  const hypothermia = scenario === 'sepsis' && unit() < 0.2;
  const confusionUnit = unit();
  const confusion = scenario === 'sepsis' ? (confusionUnit < 0.3 ? 'V' : confusionUnit < 0.8 ? 'C' : 'A') : confusionUnit < 0.5 ? 'C' : 'A';
  return {
    scenario,
    onsetMs,
    peakMs,
    severity,
    hypothermia,
    confusion,
    confusionFrom: scenario === 'sepsis' ? 0.55 + 0.2 * unit() : 0.8 + 0.1 * unit(),
    oxygenFrom: scenario === 'sepsis' ? 0.6 : 0.45,
    oxygenFlow: 2 + Math.floor(unit() * 3),
  };
}
