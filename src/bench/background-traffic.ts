import type { EventGenerator } from '../simulate/generator.js';

/**
 * The alert bench's background events, generated before the clock starts: event i is due i/rate
 * seconds into the load and carries event time `startMs` + i/rate seconds, as `key<TAB>json\n`
 * lines for the kcat producer. Generating and serialising them live cost the bench process about a
 * tenth of a core at 10k events/s, taken from the stages it measures on a 2-core machine.
 *
 * Event time then trails the wall clock by how long generation took (seconds; the template allows
 * 30 s of disorder), so the probes take their event time from `eventClock` to stay in step.
 */
export class BackgroundTraffic {
  private readonly lines: string[];
  private wallAtStart = 0;

  constructor(
    generator: EventGenerator,
    private readonly rate: number,
    durationMs: number,
    private readonly startMs: number,
  ) {
    const count = Math.ceil((durationMs / 1000) * rate);
    this.lines = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const event = generator.next(startMs + (i * 1000) / rate);
      this.lines[i] = `${event.key}\t${JSON.stringify(event.value)}\n`;
    }
  }

  get size(): number {
    return this.lines.length;
  }

  /** Marks the wall-clock moment event 0 is due. */
  start(wallMs: number): void {
    this.wallAtStart = wallMs;
  }

  /** The event time of a moment of the load, on the background events' clock. */
  eventClock(wallMs: number): number {
    return this.startMs + (wallMs - this.wallAtStart);
  }

  /** Lines [from, to) as one chunk. */
  chunk(from: number, to: number): string {
    return this.lines.slice(from, Math.min(to, this.lines.length)).join('');
  }
}
