import type { z } from 'zod';
import type { FeedbackLabel, FindingInput, VigilEvent } from './records.js';

/**
 * A detector is one small unit: `meta` says what it is and which parameters it takes, `create`
 * builds an instance for one stream partition. A detector never does I/O and never keeps its own
 * maps: everything it touches comes through the context, so the runtime can make its state
 * fault-tolerant and tests can drive it with a MockDetectorContext (test/utils).
 */
export interface DetectorDefinition<P = unknown> {
  readonly meta: DetectorMeta<P>;
  create(context: DetectorContext, params: P): DetectorInstance;
}

export interface DetectorMeta<P> {
  /** Registry name, used as `type` in templates. */
  readonly name: string;
  /** Bumped whenever a change can alter findings; every finding names it. */
  readonly version: string;
  readonly description: string;
  /** Validates and defaults the template's `params` for this detector. */
  readonly params: z.ZodType<P>;
  /** Canonical event fields this detector reads, given its params (checked against the template). */
  requiredFields(params: P): readonly string[];
  /**
   * How long (event time, ms) a key may go untouched before the runtime may drop it from this
   * detector's stores, typically the detector's widest window. The runtime evicts idle keys itself
   * (in generations, at no per-key cost), so detectors need no per-key expiry timers.
   */
  stateTtl(params: P): number;
}

export interface DetectorInstance {
  /** Called once per event, in offset order within a partition. */
  process(event: VigilEvent): void;
  /** Called when a timer set with `context.schedule` fires (event time reached it). */
  onTimer?(timer: FiredTimer): void;
  /**
   * Called with each label of the template's feedback topic once the partition's event time reaches
   * its `labelled_at` (never earlier), exactly once per label for the partition's state, before the
   * event that moved event time there. Every partition sees every label. It may change state, not emit.
   */
  onFeedback?(label: FeedbackLabel): void;
}

export interface FiredTimer {
  readonly key: string;
  readonly time: number;
  readonly name: string;
}

/**
 * A state store owned by the runtime, scoped to one detector instance and one partition. Values
 * must be plain data (plain objects, arrays, numbers, strings, booleans, null; see
 * runtime/state-codec.ts): the runtime writes changes to a changelog topic and restores them after
 * a crash or a rebalance. Keep them small — compact
 * number arrays rather than objects — since stores may hold millions of keys. A value read with
 * `get` and changed in place must be `put` back for the change to be kept.
 */
export interface KeyedStore<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  delete(key: string): void;
  /** Number of keys held. */
  readonly size: number;
}

export interface DetectorLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

export interface DetectorContext {
  /** Emits a finding attributed to the event being processed (or the timer firing). */
  emit(finding: FindingInput): void;
  /** A named keyed store; the same name always returns the same store. */
  store<V>(name: string): KeyedStore<V>;
  /** Fires `onTimer` once the partition's event time reaches `time`. Same (name, key) replaces. */
  schedule(name: string, key: string, time: number): void;
  /** The current event time of the partition (max event time seen), in epoch ms. */
  now(): number;
  /**
   * The partition's watermark: now() minus the template's allowed out-of-orderness. Events older
   * than it (beyond the allowed lateness) never reach detectors; timers fire when it passes them.
   */
  watermark(): number;
  /**
   * Publishes a number about the event being processed, under `<detector id>.<name>`, for the
   * detectors after this one in the template (the risk score combines them) and for backtests.
   * Signals live for one event only.
   */
  signal(name: string, value: number): void;
  /** Signals published so far for the event being processed, by `<detector id>.<name>`. */
  signals(): SignalLookup;
  readonly log: DetectorLogger;
}

/** Read access to the signals of one event (a Map satisfies it). */
export interface SignalLookup {
  get(name: string): number | undefined;
}

/** Identity helper that keeps a detector's params type attached to its definition. */
export function defineDetector<P>(definition: DetectorDefinition<P>): DetectorDefinition<P> {
  return definition;
}

/**
 * A definition whose params type is erased, for registries and loaders: params are always parsed
 * by the definition's own `meta.params` before `create` sees them, which keeps this sound.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDetectorDefinition = DetectorDefinition<any>;
