/**
 * A short time series in a keyed store: flat [time, value, count, …] triples sorted by time, one
 * per bucket (readings in one bucket merge, so a monitor's minute readings cost no more than a
 * nurse's hourly ones), trimmed to a look-back window.
 */
export type TrendSeries = number[];

/**
 * Adds a reading. `merge` mean: the bucket holds the mean of its readings; last: the latest
 * reading's value (times within a bucket keep the latest).
 */
export function addPoint(series: TrendSeries, time: number, value: number, bucketMs: number, merge: 'mean' | 'last'): void {
  const bucket = Math.floor(time / bucketMs) * bucketMs;
  let i = 0;
  while (i < series.length && Math.floor(series[i]! / bucketMs) * bucketMs < bucket) i += 3;
  if (i < series.length && Math.floor(series[i]! / bucketMs) * bucketMs === bucket) {
    const count = series[i + 2]!;
    if (merge === 'mean') series[i + 1] = series[i + 1]! + (value - series[i + 1]!) / (count + 1);
    else if (time >= series[i]!) series[i + 1] = value;
    series[i] = Math.max(series[i]!, time);
    series[i + 2] = count + 1;
    return;
  }
  series.splice(i, 0, time, value, 1);
}

/** Drops points before `from`. */
export function trimBefore(series: TrendSeries, from: number): void {
  let i = 0;
  while (i < series.length && series[i]! < from) i += 3;
  if (i > 0) series.splice(0, i);
}

export function pointCount(series: TrendSeries): number {
  return series.length / 3;
}

/** Time between the first and the last point. */
export function span(series: TrendSeries): number {
  return series.length < 6 ? 0 : series[series.length - 3]! - series[0]!;
}

export function lastValue(series: TrendSeries): number | undefined {
  return series.length === 0 ? undefined : series[series.length - 2];
}

/** The smallest value before the last point. */
export function minBeforeLast(series: TrendSeries): number | undefined {
  let min: number | undefined;
  for (let i = 0; i + 3 < series.length; i += 3) min = min === undefined ? series[i + 1]! : Math.min(min, series[i + 1]!);
  return min;
}

/**
 * Theil–Sen slope per hour: the median of the slopes between every pair of points, which one
 * artefact cannot swing as it swings a least-squares fit.
 */
export function theilSenPerHour(series: TrendSeries): number | undefined {
  const slopes: number[] = [];
  for (let i = 0; i < series.length; i += 3) {
    for (let j = i + 3; j < series.length; j += 3) {
      const dt = (series[j]! - series[i]!) / 3_600_000;
      if (dt > 0) slopes.push((series[j + 1]! - series[i + 1]!) / dt);
    }
  }
  if (slopes.length === 0) return undefined;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 === 1 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
}
