import type { Consciousness, Spo2Scale } from '../vitals/vital-signs.js';

/**
 * The RCP NEWS2 chart (2017), chart 1, one function per parameter. Bands are written as the chart
 * prints them, on the chart's own resolution: whole numbers, and tenths of a degree for temperature.
 * A reading finer than that (a monitor's 20.5 breaths/min, 36.05 °C) is first rounded half up to
 * the chart's resolution, as a nurse charting it would, so every real number lands in exactly one
 * band: 36.05 °C charts as 36.1 (0 points), 20.4 breaths/min as 20 (0), 20.5 as 21 (2).
 */
export function roundToChart(value: number, decimals: 0 | 1): number {
  const factor = decimals === 0 ? 1 : 10;
  // The small nudge keeps binary representation from rounding 36.05 (36.04999…) down.
  return Math.floor(value * factor + 0.5 + 1e-9) / factor;
}

export function respRatePoints(value: number): number {
  const v = roundToChart(value, 0);
  if (v <= 8) return 3;
  if (v <= 11) return 1;
  if (v <= 20) return 0;
  if (v <= 24) return 2;
  return 3;
}

/** SpO2 points; on scale 2 at ≥ 93 % the points depend on air or oxygen, so `onOxygen` must be known there (undefined otherwise). */
export function spo2Points(value: number, scale: Spo2Scale, onOxygen: boolean | undefined): number | undefined {
  const v = roundToChart(value, 0);
  if (scale === 1) {
    if (v <= 91) return 3;
    if (v <= 93) return 2;
    if (v <= 95) return 1;
    return 0;
  }
  if (v <= 83) return 3;
  if (v <= 85) return 2;
  if (v <= 87) return 1;
  if (v <= 92) return 0;
  if (onOxygen === undefined) return undefined;
  if (!onOxygen) return 0;
  if (v <= 94) return 1;
  if (v <= 96) return 2;
  return 3;
}

export function airOrOxygenPoints(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

export function systolicBpPoints(value: number): number {
  const v = roundToChart(value, 0);
  if (v <= 90) return 3;
  if (v <= 100) return 2;
  if (v <= 110) return 1;
  if (v <= 219) return 0;
  return 3;
}

export function pulsePoints(value: number): number {
  const v = roundToChart(value, 0);
  if (v <= 40) return 3;
  if (v <= 50) return 1;
  if (v <= 90) return 0;
  if (v <= 110) return 1;
  if (v <= 130) return 2;
  return 3;
}

/** New confusion (C) scores 3 like V, P and U. */
export function consciousnessPoints(value: Consciousness): number {
  return value === 'A' ? 0 : 3;
}

export function temperaturePoints(value: number): number {
  const v = roundToChart(value, 1);
  if (v <= 35.0) return 3;
  if (v <= 36.0) return 1;
  if (v <= 38.0) return 0;
  if (v <= 39.0) return 1;
  return 2;
}
