import { round } from './measurement.js';

/** How long after the load the sink gets to commit every event before it counts as not keeping up. */
export const SINK_CATCH_UP_MS = 30_000;

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
   * The same for the probes of the first and of the second half of the measurement (by send
   * time). A second half much slower than the first means a backlog was growing: the stages were
   * not keeping up with the load, and a longer run would look worse (see `isSteady`).
   */
  readonly halvesMs?: { readonly first: LatencySummary | null; readonly second: LatencySummary | null };
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
  /** CPU of the measuring process during the load (its background events were generated before); with separate stages, stageCpuSeconds is each stage's during the load. */
  readonly cpuSeconds: number;
  readonly stageCpuSeconds?: Readonly<Record<string, number>>;
  /** CPU the local broker used during the load (absent with an external broker). */
  readonly brokerCpuSeconds?: number;
  /**
   * How long after the load the sink had committed every event (it runs below the alert path's
   * priority, so it may trail during the load); null: not within SINK_CATCH_UP_MS, it did not keep up.
   */
  readonly sinkCatchUpMs?: number | null;
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

/** Nearest-rank p50, p90, p99, max and mean of the values (sorted in place); null when empty. */
export function summarize(values: number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50), 1),
    p90: round(percentile(sorted, 90), 1),
    p99: round(percentile(sorted, 99), 1),
    max: round(sorted.at(-1)!, 1),
    mean: round(sorted.reduce((sum, l) => sum + l, 0) / sorted.length, 1),
  };
}

/** Latency of the probes sent in the first and in the second half (by send time `at`). */
export function halves(probes: readonly { readonly at: number; readonly ms: number }[]): { first: LatencySummary | null; second: LatencySummary | null } {
  const bySend = [...probes].sort((a, b) => a.at - b.at);
  const middle = Math.ceil(bySend.length / 2);
  return { first: summarize(bySend.slice(0, middle).map((p) => p.ms)), second: summarize(bySend.slice(middle).map((p) => p.ms)) };
}

/** How much slower the second half's median may be before the run counts as not keeping up. */
export const UNSTEADY_FACTOR = 2;

/**
 * False when the second half's median latency is more than UNSTEADY_FACTOR times the first
 * half's: latency was growing with a backlog, so the percentiles describe a queue filling up, not
 * a steady state, and depend on how long the run was.
 */
export function isSteady(result: Pick<AlertLatencyResult, 'halvesMs'>): boolean | undefined {
  const { first, second } = result.halvesMs ?? {};
  if (!first || !second) return undefined;
  return second.p50 <= UNSTEADY_FACTOR * first.p50;
}
