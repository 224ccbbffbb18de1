/** The one JSON line the alert-latency child (alert-latency-run.ts) prints for the parent. */
export interface AlertLatencyResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Background events per second asked for, and what was produced. */
  readonly targetRate: number;
  readonly producedRate: number;
  /** Events through the detectors during the measurement (metrics.processed). */
  readonly processed: number;
  readonly seconds: number;
  /** Probe alerts triggered, and how many reached the receiver before the end. */
  readonly probes: number;
  readonly received: number;
  /** Triggering event handed to the producer → receiver answering 200, in ms. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number } | null;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
