import type { VigilEvent } from '../../model/records.js';

/** One event taking part in a pattern: its id (for a finding's evidence) and its event time. */
export interface PatternStep {
  readonly id: string;
  readonly time: number;
}

/** A test on an event, e.g. "an authorisation" or "an amount under 2 EUR". */
export type EventPredicate = (event: VigilEvent) => boolean;

/** Validates a count option: a positive integer. */
export function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
