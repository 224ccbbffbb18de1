import { VirtualClock } from '../clock.js';
import type { EventGenerator, GeneratedEvent } from '../generator.js';
import { runSimulator } from '../simulator.js';

/** A generated event with the simulated time it was asked for (when `vigil simulate` sends it). */
export interface GeneratedEventAt extends GeneratedEvent {
  readonly time: number;
}

/**
 * Every event a generator makes over a simulated period, paced as `vigil simulate` paces it (the
 * rate times the generator's intensity, on a virtual clock), for generator specs.
 */
export async function recordSimulation(generator: EventGenerator, rate: number, startMs: number, durationMs: number): Promise<GeneratedEventAt[]> {
  const events: GeneratedEventAt[] = [];
  await runSimulator({
    generator: {
      next: (timeMs) => {
        const event = generator.next(timeMs);
        events.push({ ...event, time: timeMs });
        return event;
      },
      ...(generator.intensity ? { intensity: (timeMs: number) => generator.intensity!(timeMs) } : {}),
    },
    rate,
    durationMs,
    clock: new VirtualClock(startMs),
    send: async () => undefined,
  });
  return events;
}
