/** Event-level results of alarms on a labelled window series. */
export interface EventMetrics {
  readonly events: number;
  readonly detected: number;
  readonly recall: number;
  /** Median delay from an event's first window to its first alarm, in ms (NaN when none detected). */
  readonly medianDelayMs: number;
  readonly falseAlarms: number;
  readonly falseAlarmsPerHour: number;
}

/**
 * An event is a run of consecutive labelled windows. It is detected when an alarm falls in one of
 * its windows; the delay is from the run's first window to that alarm. An alarm outside every run
 * is a false alarm. `windowMs` turns windows into time.
 */
export function eventMetrics(alarms: ArrayLike<boolean>, labels: ArrayLike<boolean>, windowMs: number): EventMetrics {
  const delays: number[] = [];
  let events = 0;
  let falseAlarms = 0;
  let i = 0;
  while (i < labels.length) {
    if (!labels[i]) {
      if (alarms[i]) falseAlarms++;
      i++;
      continue;
    }
    const start = i;
    while (i < labels.length && labels[i]) i++;
    events++;
    for (let k = start; k < i; k++) {
      if (alarms[k]) {
        delays.push((k - start) * windowMs);
        break;
      }
    }
  }
  delays.sort((a, b) => a - b);
  const mid = delays.length / 2;
  const median = delays.length === 0 ? Number.NaN : delays.length % 2 ? delays[Math.floor(mid)]! : (delays[mid - 1]! + delays[mid]!) / 2;
  const hours = (labels.length * windowMs) / 3_600_000;
  return {
    events,
    detected: delays.length,
    recall: events === 0 ? Number.NaN : delays.length / events,
    medianDelayMs: median,
    falseAlarms,
    falseAlarmsPerHour: falseAlarms / hours,
  };
}
