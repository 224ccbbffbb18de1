import type { MemoryPeaksMiB } from './memory-peaks.js';

/** What went through Vigil's stages, by its own metrics (the pipeline and the memory run). */
export interface StageCounts {
  /** Events through the detectors (metrics.processed). */
  readonly processed: number;
  /** Rows written to the template's events table (metrics.sinkRows). */
  readonly storedEvents: number;
  readonly findings: number;
  readonly alerts: number;
  readonly storedFindings: number;
  readonly storedAlerts: number;
}

/**
 * The one JSON line a pipeline child (pipeline-run.ts) prints on stdout for the parent. Seconds
 * are measured from just before the stages start (Nest bootstrap, consumer group joins included);
 * null when that point was not reached before the timeout.
 */
export interface PipelineResult extends StageCounts {
  readonly ok: boolean;
  readonly error?: string;
  readonly stages: readonly string[];
  readonly events: number;
  /** startStages() itself: Nest modules, consumers connected (not yet assigned). */
  readonly startSeconds: number;
  readonly firstEventSeconds: number | null;
  /** processed >= events */
  readonly detectSeconds: number | null;
  /** storedEvents >= events */
  readonly sinkSeconds: number | null;
  /** Both of the above (the stages this child ran); the pipeline's rate is events / seconds. */
  readonly seconds: number | null;
  readonly rate: number | null;
  /** CPU time of the whole process over `seconds` (all threads, user + system). */
  readonly cpuSeconds: number;
  /** Share of the wall time the main thread's event loop was busy (0..1). */
  readonly eventLoopUtilization: number;
  /** ClickHouse inserts into the events table: how many, their total latency, mean rows each. */
  readonly eventInserts: { readonly count: number; readonly seconds: number; readonly meanRows: number };
  readonly closeSeconds: number;
  /** process.resourceUsage().maxRSS at the very end, in MiB. */
  readonly peakRssMiB: number;
  /** Highest values seen while polling (every 20 ms), in MiB: where the RSS goes (V8 heap vs native). */
  readonly memory: MemoryPeaksMiB;
  readonly sinkBatchRows: number;
  readonly sinkFlushMs: number;
}

export const PIPELINE_STAGE_CHOICES = ['detect', 'sink'] as const;
export type PipelineStage = (typeof PIPELINE_STAGE_CHOICES)[number];
