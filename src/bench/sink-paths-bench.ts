import type { PipelineResult } from './pipeline-result.js';
import { round } from './measurement.js';

/**
 * `--sink-paths`: the sink stage alone, on one filled topic, in alternating rounds of its two
 * ways of storing events: the JS decoder (VIGIL_SINK_RAW=off) and the raw path (auto), each
 * round a fresh child with a fresh data directory and consumer group. Rates are events/s from
 * the stages' start to the last event stored; CPU is the child's, per event.
 */

export const SINK_PATHS = ['js', 'raw'] as const;
export type SinkPath = (typeof SINK_PATHS)[number];

export const SINK_PATH_ENV: Record<SinkPath, string> = { js: 'off', raw: 'auto' };

export interface SinkPathRound {
  readonly round: number;
  readonly path: SinkPath;
  readonly rate: number | null;
  readonly cpuSeconds: number;
  /** CPU-seconds per event, in microseconds. */
  readonly cpuMicrosPerEvent: number;
  readonly storedEvents: number;
  readonly error?: string;
}

export interface SinkPathsResult {
  readonly events: number;
  readonly rounds: readonly SinkPathRound[];
  /** Means over the rounds that stored every event. */
  readonly js: { readonly rate: number | null; readonly cpuMicrosPerEvent: number | null };
  readonly raw: { readonly rate: number | null; readonly cpuMicrosPerEvent: number | null };
}

export function sinkPathRound(roundNumber: number, path: SinkPath, events: number, result: PipelineResult | undefined, error?: string): SinkPathRound {
  return {
    round: roundNumber,
    path,
    rate: result?.ok === true ? result.rate : null,
    cpuSeconds: result?.cpuSeconds ?? 0,
    cpuMicrosPerEvent: result === undefined ? 0 : round((result.cpuSeconds / events) * 1e6, 2),
    storedEvents: result?.storedEvents ?? 0,
    ...(error === undefined && result?.error === undefined ? {} : { error: error ?? result?.error }),
  };
}

export function summarizeSinkPaths(events: number, rounds: readonly SinkPathRound[]): SinkPathsResult {
  const mean = (path: SinkPath) => {
    const done = rounds.filter((r) => r.path === path && r.rate !== null);
    if (done.length === 0) return { rate: null, cpuMicrosPerEvent: null };
    return {
      rate: Math.round(done.reduce((sum, r) => sum + r.rate!, 0) / done.length),
      cpuMicrosPerEvent: round(done.reduce((sum, r) => sum + r.cpuMicrosPerEvent, 0) / done.length, 2),
    };
  };
  return { events, rounds, js: mean('js'), raw: mean('raw') };
}

export function renderSinkPaths(result: SinkPathsResult): string {
  const lines = [`Sink alone, ${result.events} events: JS decoder vs raw path, alternating rounds`, '| round | path | events/s | CPU-s | µs CPU/event |', '|---|---|---|---|---|'];
  for (const r of result.rounds) lines.push(`| ${r.round} | ${r.path} | ${r.rate ?? `failed: ${r.error ?? '?'}`} | ${r.cpuSeconds} | ${r.cpuMicrosPerEvent} |`);
  lines.push(`mean: js ${result.js.rate ?? '-'} events/s at ${result.js.cpuMicrosPerEvent ?? '-'} µs; raw ${result.raw.rate ?? '-'} events/s at ${result.raw.cpuMicrosPerEvent ?? '-'} µs`);
  return lines.join('\n');
}
