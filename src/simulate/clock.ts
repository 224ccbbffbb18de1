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
