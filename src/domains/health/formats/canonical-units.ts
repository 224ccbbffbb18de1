import { VigilError } from '../../../errors/vigil-error.js';
import { fahrenheitToCelsius } from './vital-codes.js';

/** The unit each numeric parameter is stored in. */
export const CANONICAL_UNITS = {
  resp_rate: '/min',
  spo2: '%',
  systolic_bp: 'mmHg',
  diastolic_bp: 'mmHg',
  pulse: '/min',
  temperature: 'Cel',
} as const;

export type MeasuredParameter = keyof typeof CANONICAL_UNITS;

const MMHG_PER_KPA = 7.500_616_827;

/**
 * Units senders use, by the canonical unit they are read as, with the conversion to it. UCUM
 * codes first (what FHIR's `valueQuantity.code` carries), then the human spellings flat rows and
 * FHIR's `valueQuantity.unit` use. Anything else is not guessed at: it is dead-lettered.
 */
const UNIT_READINGS: Readonly<Record<string, Readonly<Record<string, (value: number) => number>>>> = {
  '/min': { '/min': same, '{beats}/min': same, '{breaths}/min': same, 'beats/minute': same, 'breaths/minute': same, bpm: same, 'beats/min': same, 'breaths/min': same },
  '%': { '%': same },
  mmHg: { 'mm[Hg]': same, mmHg: same, kPa: (kpa) => kpa * MMHG_PER_KPA },
  Cel: { Cel: same, '°C': same, C: same, degC: same, '[degF]': fahrenheitToCelsius, '°F': fahrenheitToCelsius, F: fahrenheitToCelsius, degF: fahrenheitToCelsius },
};

function same(value: number): number {
  return value;
}

/**
 * `value` in `unit` as the parameter's canonical unit, rounded to 0.01 (a °F reading converted
 * is not more precise than the thermometer). An absent unit means the canonical one.
 */
export function toCanonicalUnit(parameter: MeasuredParameter, value: number, unit: string | null | undefined): { value: number; unit: string } {
  const canonical = CANONICAL_UNITS[parameter];
  if (unit === null || unit === undefined || unit === '') return { value, unit: canonical };
  const convert = UNIT_READINGS[canonical]![unit.trim()];
  if (convert === undefined) {
    throw new VigilError('VIGIL_EVENT_SCHEMA', `unit "${unit}" is not a unit of ${parameter} (expected ${Object.keys(UNIT_READINGS[canonical]!).join(', ')})`);
  }
  return { value: Math.round(convert(value) * 100) / 100, unit: canonical };
}
