/** The one JSON line the alert-latency child (alert-latency-run.ts) prints for the parent. */
export interface AlertLatencyResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Stages in the measuring process, or each in its own process (as docker-compose runs them). */
  readonly shape: 'one-process' | 'separate';
  /** Detect processes sharing the partitions (separate shape; 1 otherwise). */
  readonly detectProcesses: number;
  /** Background events per second asked for, and what was produced. */
  readonly targetRate: number;
  readonly producedRate: number;
  /** Events through the detectors during the measurement (metrics.processed; null when detect ran elsewhere). */
  readonly processed: number | null;
  readonly seconds: number;
  /** Probe alerts triggered, and how many reached the receiver before the end. */
  readonly probes: number;
  readonly received: number;
  /** Triggering event handed to the producer → receiver answering 200, in ms. */
  readonly latencyMs: LatencySummary | null;
  /**
   * Where the time goes, per probe (wall clock): trigger produced → detect sent the alert (its record's timestamp) →
   * the alert visible to read_committed consumers (transaction committed) → notify started the
   * delivery attempt → receiver answered.
   */
  readonly breakdownMs: {
    readonly produceToDetect: LatencySummary | null;
    readonly detectToCommitted: LatencySummary | null;
    readonly committedToNotify: LatencySummary | null;
    readonly notifyToReceiver: LatencySummary | null;
  };
  /** CPU of the measuring process; with separate stages, stageCpuSeconds is each stage's (start-up included). */
  readonly cpuSeconds: number;
  readonly stageCpuSeconds?: Readonly<Record<string, number>>;
  readonly peakRssMiB: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
