// Bound once: called per event (see random.ts).
const { floor } = Math;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A daily activity curve from 24 hourly weights in local time, linearly interpolated and scaled so
 * its average over a day is 1. `utcOffsetHours` places local midnight (daylight saving is ignored:
 * a simulated population, not a calendar).
 */
export function dailyRhythm(hourlyWeights: readonly number[], utcOffsetHours: number): (timeMs: number) => number {
  if (hourlyWeights.length !== 24 || hourlyWeights.some((weight) => !(weight > 0))) {
    throw new RangeError('expected 24 positive hourly weights');
  }
  const mean = hourlyWeights.reduce((sum, weight) => sum + weight, 0) / 24;
  const weights = hourlyWeights.map((weight) => weight / mean);
  const offsetMs = utcOffsetHours * HOUR_MS;
  return (timeMs) => {
    const hour = ((((timeMs + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    const index = floor(hour);
    const fraction = hour - index;
    // Each weight is the rate at the start of its hour; interpolating around the cycle keeps the mean at 1.
    return weights[index]! * (1 - fraction) + weights[(index + 1) % 24]! * fraction;
  };
}

/** The local hour of day (0-23) of `timeMs`. */
export function localHour(timeMs: number, utcOffsetHours: number): number {
  return floor(((((timeMs + utcOffsetHours * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}
