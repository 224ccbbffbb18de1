import { VigilError } from '../errors/vigil-error.js';
import type { Producer } from '../kafka/kafka.types.js';
import type { Template } from '../templates/template.schema.js';
import { createGenerator } from './generators.js';
import { AcceleratedClock, realClock } from './clock.js';
import { runSimulator, type SimulatorProgress, type SimulatorResult } from './simulator.js';

export interface SimulateOptions {
  readonly template: Template;
  readonly producer: Producer;
  /** Events per second; default: the template's simulator rate. */
  readonly rate?: number;
  readonly count?: number;
  readonly durationMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Event time runs this many times faster than the wall clock (default 1: real time). Events
   * still arrive at `rate` per real second; their times are spread over `speed` times as long.
   */
  readonly speed?: number;
  onProgress?(progress: SimulatorProgress): void;
}

/** Runs the template's simulator into its input topic, keyed like real traffic. */
export async function simulateToKafka(options: SimulateOptions): Promise<SimulatorResult> {
  const { template, producer } = options;
  const simulator = template.simulator;
  if (!simulator) throw new VigilError('VIGIL_TEMPLATE_INVALID', `template ${template.name} has no simulator section`);
  const generator = createGenerator(simulator.generator, { seed: simulator.seed, params: simulator.params });
  const speed = options.speed ?? 1;
  const rate = options.rate ?? simulator.rate;
  // Accelerated runs end around "now" when their length is known, so dashboards show them as recent.
  const realMs = options.count !== undefined ? (options.count / rate) * 1000 : (options.durationMs ?? 0);
  const clock = speed === 1 ? realClock : new AcceleratedClock(Date.now() - realMs * speed, speed);
  return runSimulator({
    generator,
    clock,
    // The simulator paces in its own (simulated) seconds.
    rate: rate / speed,
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs * speed }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    send: (batch) => producer.send(batch.map((m) => ({ topic: template.topics.input, key: m.key, value: JSON.stringify(m.value) }))),
  });
}
