import { VigilError } from '../errors/vigil-error.js';
import type { OutgoingMessage, Producer } from '../kafka/kafka.types.js';
import { LabelQueue } from '../runtime/label-queue.js';
import type { FeedbackLabel } from '../model/records.js';
import type { Template } from '../model/template/template.schema.js';
import type { GeneratorRegistry } from './generators.js';
import { AcceleratedClock, realClock } from './clock.js';
import { runSimulator, type SimulatorProgress, type SimulatorResult } from './simulator.js';

export interface SimulateOptions {
  readonly template: Template;
  readonly producer: Producer;
  /** Where the template's `simulator.generator` is looked up (src/domains/domains.ts builtInGenerators). */
  readonly generators: GeneratorRegistry;
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
  /** Accelerated runs of known length end their event time here (default: now). */
  readonly endMs?: number;
  /**
   * Event time starts no earlier than this (epoch ms), even if the run then ends in the future:
   * a re-run into a topic whose watermark is already past "now minus the run's length" would
   * otherwise send only late events.
   */
  readonly notBeforeMs?: number;
  /**
   * Never skip ahead after a stall: every event keeps its place in event time, and a backlog is
   * sent as fast as the broker takes it. For runs of known length (the demo), so a slow or busy
   * machine sends the same stream, only later, and the detectors see the same volumes per minute.
   */
  readonly keepEventSpacing?: boolean;
  onProgress?(progress: SimulatorProgress): void;
}

/**
 * Runs the template's simulator into its input topic, keyed like real traffic. With a feedback
 * topic in the template, each event's label is sent there (key: the transaction id) once simulated
 * time reaches its `labelled_at`, days later, in the same send as the events of that moment; labels
 * still pending when the run stops are never sent, as their time has not come.
 */
export async function simulateToKafka(options: SimulateOptions): Promise<SimulatorResult> {
  const { template, producer } = options;
  const simulator = template.simulator;
  if (!simulator) throw new VigilError('VIGIL_TEMPLATE_INVALID', `template ${template.name} has no simulator section`);
  const generator = options.generators.create(simulator.generator, { seed: simulator.seed, params: simulator.params });
  const labels = new LabelQueue();
  const speed = options.speed ?? 1;
  const rate = options.rate ?? simulator.rate;
  const start = simulationStart(options);
  const clock = start.shifted || speed !== 1 ? new AcceleratedClock(start.ms, speed) : realClock;
  return runSimulator({
    generator,
    clock,
    // The simulator paces in its own (simulated) seconds: a second of wall-clock lag is `speed` of them.
    rate: rate / speed,
    maxLagMs: options.keepEventSpacing ? Number.POSITIVE_INFINITY : 1000 * speed,
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs * speed }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    send: (batch) => {
      const messages: OutgoingMessage[] = batch.map((m) => ({ topic: template.topics.input, key: m.key, value: JSON.stringify(m.value) }));
      const feedback = template.topics.feedback;
      if (feedback !== undefined && batch.length > 0) {
        for (const m of batch) if (m.feedback) labels.push(m.feedback);
        labels.popUntil(batch[batch.length - 1]!.time, (label) => messages.push(labelMessage(feedback, label)));
      }
      return producer.send(messages);
    },
  });
}

/**
 * Where a run's event time starts: accelerated runs of known length end around "now" (or `endMs`),
 * so dashboards show them as recent; real-time runs start now; either moves to `notBeforeMs`
 * when that is later (`shifted`).
 */
export function simulationStart(options: Pick<SimulateOptions, 'template' | 'rate' | 'count' | 'durationMs' | 'speed' | 'endMs' | 'notBeforeMs'>): {
  ms: number;
  shifted: boolean;
} {
  const speed = options.speed ?? 1;
  const rate = options.rate ?? options.template.simulator?.rate ?? 1;
  const realMs = options.count !== undefined ? (options.count / rate) * 1000 : (options.durationMs ?? 0);
  const natural = speed === 1 ? Date.now() : (options.endMs ?? Date.now()) - realMs * speed;
  const notBefore = options.notBeforeMs ?? -Infinity;
  return notBefore > natural ? { ms: notBefore, shifted: true } : { ms: natural, shifted: false };
}

/** A label as the feedback topic carries it (see CONTRACTS: key = transaction id). */
export function labelMessage(topic: string, label: FeedbackLabel): OutgoingMessage {
  return { topic, key: label.event_id, value: JSON.stringify(label) };
}
