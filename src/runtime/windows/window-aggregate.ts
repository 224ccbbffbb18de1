/**
 * What every window here aggregates: count, sum, min and max of one number per event (the amount,
 * a duration...; pass 0 to count only). Stored as a 4-number cell inside a key's compact array.
 */
export interface Aggregate {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** A window of one key that closed in event time. `start` is inclusive, `end` exclusive. */
export interface ClosedWindow extends Aggregate {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** Called from the detector's `onTimer`, so `context.emit` may be used inside it. */
export type ClosedWindowHandler = (window: ClosedWindow) => void;

/** "Nothing emitted yet" for a key: JSON round-trips it, unlike -Infinity (which becomes null). */
export const NOTHING_EMITTED = Number.MIN_SAFE_INTEGER;

/** Numbers per aggregate cell: count, sum, min, max. */
export const CELL = 4;

/** A new cell for one value. */
export function cellOf(value: number): number[] {
  return [1, value, value, value];
}

/** Adds one value to the cell at `at`, in place. */
export function addToCell(state: number[], at: number, value: number): void {
  state[at] = state[at]! + 1;
  state[at + 1] = state[at + 1]! + value;
  if (value < state[at + 2]!) state[at + 2] = value;
  if (value > state[at + 3]!) state[at + 3] = value;
}

/** Folds the cell at `at` into `into` (a mutable accumulator, count 0 when empty). */
export function foldCell(into: { count: number; sum: number; min: number; max: number }, state: readonly number[], at: number): void {
  if (into.count === 0) {
    into.min = state[at + 2]!;
    into.max = state[at + 3]!;
  } else {
    into.min = Math.min(into.min, state[at + 2]!);
    into.max = Math.max(into.max, state[at + 3]!);
  }
  into.count += state[at]!;
  into.sum += state[at + 1]!;
}

/** An empty accumulator for `foldCell`. */
export function emptyAggregate(): { count: number; sum: number; min: number; max: number } {
  return { count: 0, sum: 0, min: 0, max: 0 };
}

/** A finite number for the stores (NaN and ±Infinity do not survive JSON). */
export function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** Validates a duration option (ms): a positive finite number, or >= 0 when `zero` is allowed. */
export function checkDuration(name: string, value: number, zero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    throw new RangeError(`${name} must be a ${zero ? 'non-negative' : 'positive'} number of milliseconds, got ${value}`);
  }
  return value;
}
