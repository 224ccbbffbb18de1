/**
 * Plausibility of a vital-sign value: what a measurement on a living patient can be, not what is
 * normal. A value outside is a device artefact, a unit mix-up or a typing error, and must be
 * rejected with its reason (the CLI answers with an error line, the template dead-letters it),
 * never scored as if real. Ranges are deliberately wide so that extreme but real readings pass:
 * - temperature 25–45 °C: below 25 °C is almost always a probe off the body (3 °C is a room), and
 *   Fahrenheit values (97–105) land above 45;
 * - SpO2 20–100 %: above 100 is impossible, below 20 is a probe that lost the signal;
 * - pulse 0–300 /min: 0 is asystole (real, and it must reach the score), negative is impossible;
 * - respiration 0–80 /min, systolic 20–300 mmHg, MAP 10–250, diastolic 5–250 mmHg;
 * - FiO2 0.21–1 (a fraction; room air is 0.21), EtCO2 0–100 mmHg.
 */
export const PLAUSIBLE_RANGES = {
  resp_rate: { min: 0, max: 80, unit: '/min' },
  spo2: { min: 20, max: 100, unit: '%' },
  systolic_bp: { min: 20, max: 300, unit: 'mmHg' },
  diastolic_bp: { min: 5, max: 250, unit: 'mmHg' },
  mean_bp: { min: 10, max: 250, unit: 'mmHg' },
  pulse: { min: 0, max: 300, unit: '/min' },
  temperature: { min: 25, max: 45, unit: '°C' },
  fio2: { min: 0.21, max: 1, unit: '' },
  etco2: { min: 0, max: 100, unit: 'mmHg' },
} as const;

export type VitalName = keyof typeof PLAUSIBLE_RANGES;

/** Why `value` cannot be a real `name` reading, or undefined when it can. */
export function implausibleReason(name: VitalName, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name}: expected a number, got ${JSON.stringify(value)}`;
  const { min, max, unit } = PLAUSIBLE_RANGES[name];
  if (value < min || value > max) return `${name}: ${value} is outside the plausible range ${min}–${max}${unit === '' ? '' : ` ${unit}`}`;
  return undefined;
}

/** The value when plausible, otherwise undefined (for replaying recorded data, where an artefact counts as missing). */
export function plausibleOrMissing(name: VitalName, value: number | undefined): number | undefined {
  return value === undefined || implausibleReason(name, value) !== undefined ? undefined : value;
}
