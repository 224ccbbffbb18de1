import type { z } from 'zod';
import type { FeedbackLabel } from '../model/records.js';

/**
 * A generator invents a domain's events; the simulator decides when. The caller owns the
 * simulated clock: it calls `next(timeMs)` with the event time it wants (non-decreasing), and the
 * generator decides what happens at that moment. A generator never reads the wall clock and draws
 * every random number from its seed, so the same seed and the same times give the same events.
 */
export interface EventGenerator {
  /** The event happening at `timeMs` (epoch ms). */
  next(timeMs: number): GeneratedEvent;
  /**
   * Relative event rate at `timeMs`, averaging 1 over a day (e.g. fewer card payments at night).
   * The simulator multiplies its rate by it; absent means a constant rate.
   */
  intensity?(timeMs: number): number;
}

export interface GeneratedEvent {
  /** Kafka message key: the template's event.key value. */
  readonly key: string;
  /**
   * The JSON value as the user's system would send it, in the user's field names (the template's
   * `from:` mappings read it). Simulated events also carry the label as a `_label` property, which
   * no template maps, so detectors never see it but offline evaluation can read it back.
   */
  readonly value: Record<string, unknown>;
  readonly label: EventLabel;
  /**
   * The label as the feedback topic will carry it, with when it becomes known (`labelled_at`,
   * days later); absent when this event will never be labelled.
   */
  readonly feedback?: FeedbackLabel;
}

/** Ground truth for evaluating detectors. */
export interface EventLabel {
  readonly fraud: boolean;
  /** Which injected scenario produced the event, e.g. `card_testing`. */
  readonly scenario?: string;
}

/** The property of a simulated event's JSON that holds its label. */
export const LABEL_PROPERTY = '_label';

/** A registry entry: the params schema a template's `simulator.params` must satisfy, and a factory. */
export interface GeneratorDefinition<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  create(options: { readonly seed: number; readonly params: P }): EventGenerator;
}

/** Identity helper that keeps a generator's params type attached to its definition. */
export function defineGenerator<P>(definition: GeneratorDefinition<P>): GeneratorDefinition<P> {
  return definition;
}
