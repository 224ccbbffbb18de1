/**
 * Time as the simulator sees it. The real clock paces a live demo; a virtual clock runs the same
 * code as fast as possible (backfilling a simulated day, tests) because sleeping only moves it.
 */
export interface SimulatorClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: SimulatorClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export class VirtualClock implements SimulatorClock {
  private time: number;

  constructor(startMs: number) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
    // Yield like a real sleep would, so other work interleaves the same way.
    await Promise.resolve();
  }

  /** Moves time without sleeping, e.g. to make a fake `send` take a while. */
  advance(ms: number): void {
    this.time += Math.max(0, ms);
  }
}

/**
 * Wall-clock pacing with simulated time running `speed` times faster, starting at `startMs`. A
 * short demo can then show patterns that take minutes of event time (a burst of card use over
 * two minutes) while events still arrive at a steady real rate.
 */
export class AcceleratedClock implements SimulatorClock {
  private readonly realStart = performance.now();

  constructor(
    private readonly startMs: number,
    private readonly speed: number,
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be positive');
  }

  now(): number {
    return this.startMs + (performance.now() - this.realStart) * this.speed;
  }

  sleep(ms: number): Promise<void> {
    return realClock.sleep(ms / this.speed);
  }
}
