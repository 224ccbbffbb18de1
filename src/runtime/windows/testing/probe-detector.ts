import { z } from 'zod';
import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../model/detector.js';
import type { FindingInput } from '../../../model/records.js';
import type { ClosedWindow } from '../window-aggregate.js';
import { DetectorTestContext, type TestContextOptions } from '../../testing/detector-test-context.js';

/**
 * Windows and patterns apply their own allowed lateness, which is what their specs exercise: the
 * runtime in front of them is given a day of lateness, so it hands out-of-order events on instead
 * of dropping them first (its own lateness is partition-runtime.spec's subject).
 */
export const PROBE_RUNTIME: TestContextOptions = { allowedLateness: 86_400_000 };

/**
 * A throwaway detector around one window or pattern, for specs: `wire` builds the detector
 * instance from the context, usually forwarding events to the window and its results to `emit`.
 */
export function startProbe(wire: (context: DetectorContext) => DetectorInstance, runtime: TestContextOptions = PROBE_RUNTIME): DetectorTestContext {
  const probe = defineDetector<Record<string, never>>({
    meta: {
      name: 'probe',
      version: '1',
      description: 'test wiring for a window or pattern',
      params: z.strictObject({}),
      requiredFields: () => [],
      // The runtime evicts keys idle longer than this: the windows under test span less than a day.
      stateTtl: () => 86_400_000,
    },
    create: (context) => wire(context),
  });
  return DetectorTestContext.start(probe, {}, runtime);
}

/** A closed window as a finding, so specs can read it from `emitted`. */
export function windowFinding(window: ClosedWindow): FindingInput {
  return {
    entity: window.key,
    severity: 'info',
    kind: 'window',
    title: `window of ${window.key}`,
    windowStart: window.start,
    windowEnd: window.end,
    values: { count: window.count, sum: window.sum, min: window.min, max: window.max },
  };
}

/** The emitted windows as compact tuples: [key, start, end, count, sum], sorted, for comparisons. */
export function windowsOf(findings: readonly FindingInput[]): [string, number, number, number, number][] {
  return findings
    .map((f): [string, number, number, number, number] => [f.entity, f.windowStart, f.windowEnd, f.values!.count!, f.values!.sum!])
    .sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0].localeCompare(b[0]));
}

/** A deterministic pseudo-random sequence in [0, 1), for shuffles that replay the same way. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Reorders `items` (sorted by time) so each arrives at most `maxDelay` ms of event time late:
 * every item is delayed by a random amount up to `maxDelay` and the stream is sorted by that.
 */
export function jitter<T extends { time: number }>(items: readonly T[], maxDelay: number, seed: number): T[] {
  const random = seeded(seed);
  return items
    .map((item, i) => ({ item, at: item.time + Math.floor(random() * (maxDelay + 1)), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ item }) => item);
}
