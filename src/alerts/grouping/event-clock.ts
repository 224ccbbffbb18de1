/**
 * Notify's sense of "now" for grouping: event time, taken from the alerts it reads. When no alert
 * arrives, event time is carried forward by the wall clock since the last one, so a group's wait
 * ends in a quiet stream too; a backlog or replay, read faster than real time, is still grouped by
 * its own event times.
 */
export class EventClock {
  private maxEventTime = Number.NEGATIVE_INFINITY;
  private wallAtMax = 0;

  observe(eventTime: number, wallNow: number): void {
    if (eventTime >= this.maxEventTime) {
      this.maxEventTime = eventTime;
      this.wallAtMax = wallNow;
    }
  }

  /** Event time now; -Infinity before the first alert. */
  now(wallNow: number): number {
    return this.maxEventTime + Math.max(0, wallNow - this.wallAtMax);
  }
}
