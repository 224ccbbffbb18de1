import { VigilError } from '../errors/vigil-error.js';
import type { Producer } from '../kafka/kafka.types.js';
import type { Template } from '../templates/template.schema.js';
import { createGenerator } from './generators.js';
import { runSimulator, type SimulatorProgress, type SimulatorResult } from './simulator.js';

export interface SimulateOptions {
  readonly template: Template;
  readonly producer: Producer;
  /** Events per second; default: the template's simulator rate. */
  readonly rate?: number;
  readonly count?: number;
  readonly durationMs?: number;
  readonly signal?: AbortSignal;
  onProgress?(progress: SimulatorProgress): void;
}

/** Runs the template's simulator into its input topic, keyed like real traffic. */
export async function simulateToKafka(options: SimulateOptions): Promise<SimulatorResult> {
  const { template, producer } = options;
  const simulator = template.simulator;
  if (!simulator) throw new VigilError('VIGIL_TEMPLATE_INVALID', `template ${template.name} has no simulator section`);
  const generator = createGenerator(simulator.generator, { seed: simulator.seed, params: simulator.params });
  return runSimulator({
    generator,
    rate: options.rate ?? simulator.rate,
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    send: (batch) => producer.send(batch.map((m) => ({ topic: template.topics.input, key: m.key, value: JSON.stringify(m.value) }))),
  });
}
