import type { MemoryBreakdownSummary } from './memory-breakdown.js';
import type { CardsFill } from './memory-fill.js';
import type { StageCounts } from './pipeline-result.js';

/**
 * The all-in-one memory run (memory-measure.ts): one `vigil run` process with every service
 * (detect, sink into the embedded engine, notify, api), as `npm start` runs Vigil, through a
 * topic of payments cycling through `cards` distinct cards. Seconds are wall time from spawning it.
 */
export interface MemoryResult extends StageCounts {
  readonly ok: boolean;
  readonly error?: string;
  readonly cards: number;
  readonly events: number;
  readonly fill?: CardsFill;
  /** Until the process served its API (Nest, consumers, embedded engine open). */
  readonly startSeconds: number | null;
  /** Until every event was processed and stored, and detect's findings and alerts stored. */
  readonly seconds: number | null;
  /** events / (seconds - startSeconds). */
  readonly rate: number | null;
  /** The process's VmHWM at exit: the kernel's peak RSS over its whole life, shutdown included. */
  readonly peakRssMiB: number | null;
  /** The highest VmRSS the bench read from /proc while it ran (once a second), for comparison. */
  readonly sampledPeakRssMiB: number;
  /** What process.memoryUsage() showed inside it (every 100 ms); absent if the probe wrote nothing. */
  readonly memory?: MemoryBreakdownSummary;
  /** Keys in detector state when the last event was through (all detector stores; vigil_state_keys). */
  readonly stateKeys: number;
  /** Webhooks the bench's receiver accepted from the notify service. */
  readonly webhooks: number;
  /** CPU time of the process (user + system) until it was stopped. */
  readonly cpuSeconds: number;
  /** Every TIMELINE_S seconds (memory-measure.ts). */
  readonly timeline: readonly MemoryTimelinePoint[];
  /** NODE_OPTIONS the process ran with, if any (heap limits and the like change the figures). */
  readonly nodeOptions?: string;
}

export interface MemoryTimelinePoint {
  /** Seconds since spawning the process. */
  readonly at: number;
  /** VmRSS, and its anonymous (heaps, stacks) and file-backed (code of node and libchdb) parts. */
  readonly rssMiB: number;
  readonly anonMiB: number;
  readonly fileMiB: number;
  readonly processed: number;
  readonly stored: number;
  /**
   * The embedded engine's own account (MiB): MemoryTracking, its caches, and its allocator's totals
   * (jemalloc_allocated, _active, _resident, _retained...), read through the process's POST /query.
   */
  readonly engineMiB?: Readonly<Record<string, number>>;
}
