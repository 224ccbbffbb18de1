import { implausibleReason } from '../vitals/plausibility.js';
import type { Consciousness, Spo2Scale, VitalSigns } from '../vitals/vital-signs.js';

export type News2InputResult = { readonly ok: true; readonly vitals: VitalSigns } | { readonly ok: false; readonly reason: string };

const CONSCIOUSNESS = new Set(['A', 'C', 'V', 'P', 'U']);

/**
 * Reads one `vigil news2` input object (`resp_rate`, `spo2`, `spo2_scale`, `on_oxygen`,
 * `systolic_bp`, `pulse`, `consciousness`, `temperature` °C). An absent or null field is missing;
 * a present field of the wrong type or outside the plausible range rejects the whole line with the
 * first reason found. Other fields are ignored.
 */
export function parseNews2Input(input: unknown): News2InputResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('expected a JSON object');
  const o = input as Record<string, unknown>;
  const present = (key: string) => o[key] !== undefined && o[key] !== null;
  const vitals: { -readonly [K in keyof VitalSigns]: VitalSigns[K] } = {};
  for (const [key, name] of [
    ['resp_rate', 'respRate'],
    ['spo2', 'spo2'],
    ['systolic_bp', 'systolicBp'],
    ['pulse', 'pulse'],
    ['temperature', 'temperature'],
  ] as const) {
    if (!present(key)) continue;
    const reason = implausibleReason(key, o[key]);
    if (reason !== undefined) return fail(reason);
    vitals[name] = o[key] as number;
  }
  if (present('spo2_scale')) {
    if (o.spo2_scale !== 1 && o.spo2_scale !== 2) return fail(`spo2_scale: expected 1 or 2, got ${JSON.stringify(o.spo2_scale)}`);
    vitals.spo2Scale = o.spo2_scale as Spo2Scale;
  }
  if (present('on_oxygen')) {
    if (typeof o.on_oxygen !== 'boolean') return fail(`on_oxygen: expected true or false, got ${JSON.stringify(o.on_oxygen)}`);
    vitals.onOxygen = o.on_oxygen;
  }
  if (present('consciousness')) {
    const value = typeof o.consciousness === 'string' ? o.consciousness.toUpperCase() : undefined;
    if (value === undefined || !CONSCIOUSNESS.has(value)) return fail(`consciousness: expected one of A, C, V, P, U, got ${JSON.stringify(o.consciousness)}`);
    vitals.consciousness = value as Consciousness;
  }
  return { ok: true, vitals };
}

function fail(reason: string): News2InputResult {
  return { ok: false, reason };
}
