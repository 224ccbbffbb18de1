import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../errors/vigil-error.js';
import { createAnomalyState, updateAnomaly, type AnomalyCoreParams } from '../../detectors/volume-anomaly/anomaly-core.js';
import { DEFAULT_CORE_PARAMS, DEFAULT_THRESHOLD, SHORT_SERIES_PARAMS } from '../../detectors/volume-anomaly/anomaly-defaults.js';
import { auroc } from './auroc.js';
import { eventMetrics, type EventMetrics } from './event-metrics.js';

export const DEFAULT_MUNLIV = '../shared/data/trend/MUNLIV_window_volume_labels.csv';

/** The match's 2-minute windows: start, tweet count, and the event label the baseline was published on. */
export interface MatchWindows {
  readonly starts: number[];
  readonly counts: number[];
  readonly labels: boolean[];
  readonly windowMs: number;
}

export function readMatchWindows(file: string = DEFAULT_MUNLIV): MatchWindows {
  if (!existsSync(file)) throw new VigilError('VIGIL_CONFIG_INVALID', `MUNLIV labels not found: ${file} (see ../shared/data/README.md, trend section)`);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  const col = (name: string): number => header.indexOf(name);
  const out: MatchWindows = { starts: [], counts: [], labels: [], windowMs: 0 };
  for (const line of lines.slice(1)) {
    // The keyword column is quoted and holds commas; the columns read here all come before it.
    const cells = line.split(',');
    out.starts.push(Date.parse(cells[col('window_start_utc')]!));
    out.counts.push(Number(cells[col('tweet_count')]));
    out.labels.push(cells[col('gt_event_v2')] === '1');
    if (out.windowMs === 0) (out as { windowMs: number }).windowMs = Number(cells[col('window_minutes')]) * 60_000;
  }
  return out;
}

/**
 * The published volume baseline: each window's count divided by the median of up to 5 previous
 * windows (the first window, with none before it, scores 1). On gt_event_v2 it reproduces the
 * published AUROC 0.736.
 */
export function medianRatioBaseline(counts: readonly number[]): number[] {
  return counts.map((c, i) => {
    const prev = counts.slice(Math.max(0, i - 5), i).sort((a, b) => a - b);
    if (prev.length === 0) return 1;
    const m = prev.length / 2;
    const median = prev.length % 2 ? prev[Math.floor(m)]! : (prev[m - 1]! + prev[m]!) / 2;
    return c / median;
  });
}

/** Our core on the match, one window at a time, a fresh key (the detector's defaults unless given). */
export function coreScores(windows: MatchWindows, params: AnomalyCoreParams = DEFAULT_CORE_PARAMS): number[] {
  const state = createAnomalyState(params);
  return windows.counts.map((c, i) => updateAnomaly(state, params, windows.starts[i]!, c));
}

export interface MatchResult {
  readonly name: string;
  readonly auroc: number;
  readonly threshold: number;
  readonly events: EventMetrics;
}

export function evaluateMatch(file: string = DEFAULT_MUNLIV): MatchResult[] {
  const w = readMatchWindows(file);
  const ours = coreScores(w);
  const short = coreScores(w, SHORT_SERIES_PARAMS);
  // The learned model alone from the 5th window: what the detector scored before the burst score.
  const learned = coreScores(w, { ...DEFAULT_CORE_PARAMS, warmup: 5 });
  const baseline = medianRatioBaseline(w.counts);
  const result = (name: string, scores: number[], threshold: number): MatchResult => ({
    name,
    auroc: auroc(scores, w.labels),
    threshold,
    events: eventMetrics(
      scores.map((s) => s >= threshold),
      w.labels,
      w.windowMs,
    ),
  });
  return [
    result('volume-anomaly, defaults', ours, DEFAULT_THRESHOLD),
    result('volume-anomaly, profile short', short, DEFAULT_THRESHOLD),
    result('learned model alone, warm-up 5', learned, DEFAULT_THRESHOLD),
    result('baseline count/median5 ≥ 1.5', baseline, 1.5),
    result('baseline count/median5 ≥ 2', baseline, 2),
  ];
}

export function formatMatch(results: readonly MatchResult[]): string {
  const rows = results.map((r) => {
    const e = r.events;
    const delay = Number.isNaN(e.medianDelayMs) ? '-' : `${(e.medianDelayMs / 60_000).toFixed(0)} min`;
    return `${r.name.padEnd(38)} AUROC ${r.auroc.toFixed(3)}  recall ${e.detected}/${e.events} (${(100 * e.recall).toFixed(0)} %)  median delay ${delay}  false alarms ${e.falseAlarms} (${e.falseAlarmsPerHour.toFixed(2)}/h)`;
  });
  return `MUNLIV (Man Utd v Liverpool, 2-minute windows, gt_event_v2; published baseline AUROC 0.736)\n${rows.join('\n')}\n`;
}

export function defaultMunlivPath(): string {
  return path.resolve(DEFAULT_MUNLIV);
}
