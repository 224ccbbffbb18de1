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

/**
 * A day-of-week factor from 7 weights, Monday to Sunday in local time, scaled to average 1 over a
 * week (so the daily curve times this still averages the configured rate).
 */
export function weekdayRhythm(weights: readonly number[], utcOffsetHours: number): (timeMs: number) => number {
  if (weights.length !== 7 || weights.some((weight) => !(weight > 0))) throw new RangeError('expected 7 positive weekday weights');
  const mean = weights.reduce((sum, weight) => sum + weight, 0) / 7;
  const scaled = weights.map((weight) => weight / mean);
  const offsetMs = utcOffsetHours * HOUR_MS;
  // 1970-01-01 was a Thursday: day 0 is index 3 from Monday.
  return (timeMs) => scaled[(((floor((timeMs + offsetMs) / DAY_MS) + 3) % 7) + 7) % 7]!;
}

/** The local hour of day (0-23) of `timeMs`. */
export function localHour(timeMs: number, utcOffsetHours: number): number {
  return floor(((((timeMs + utcOffsetHours * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}
