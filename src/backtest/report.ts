import type { DetectorSlot } from '../runtime/partition-runtime.js';
import { detectionDelay, type DetectionDelay } from './metrics/detection-delay.js';
import { countLabel, handbookProtocol, rankingMetrics, round, type RankingMetrics } from './metrics/handbook-protocol.js';
import { aucRoc } from './metrics/ranking.js';
import type { Outcomes } from './outcomes.js';
import type { ReplayResult } from './replay.js';

export { CARDS_PER_DAY, type RankingMetrics } from './metrics/handbook-protocol.js';

export interface DayMetrics extends RankingMetrics {
  readonly day: string;
  /** At the template's thresholds: events alerted (a finding at alert severity). */
  readonly alerts: number;
  readonly precision: number;
  readonly recall: number;
}

export interface DetectorMetrics {
  readonly detector: string;
  readonly type: string;
  readonly findings: number;
  /** Events on which it raised a finding at alert severity. */
  readonly alerts: number;
  readonly precision: number;
  /** Share of fraud events it alerted on. */
  readonly recall: number;
  /** Fraud events no other detector alerted on. */
  readonly frauds_only_it_caught: number;
}

export interface BacktestReport {
  readonly run_id: string;
  readonly template: string;
  readonly input: string;
  readonly created_at: string;
  readonly feedback_delay_ms: number;
  readonly score_signal: string | null;
  readonly evaluated: { readonly from: string | null; readonly to: string | null };
  readonly replay: {
    readonly lines: number;
    readonly events: number;
    readonly skipped_outside_range: number;
    readonly invalid: number;
    readonly invalid_examples: readonly string[];
    readonly late: number;
    readonly labels_delivered: number;
    readonly detector_failures: number;
    readonly elapsed_ms: number;
    readonly events_per_second: number;
  };
  /**
   * The Handbook's protocol: transactions of cards already known to be compromised (see
   * known-compromised.ts) are left out, as the card would have been blocked. `all_transactions`
   * keeps them.
   */
  readonly handbook_protocol: RankingMetrics;
  readonly all_transactions: RankingMetrics;
  readonly alerts: { readonly alerts: number; readonly precision: number; readonly recall: number };
  readonly per_day: readonly DayMetrics[];
  readonly time_to_detection: DetectionDelay;
  readonly detectors: readonly DetectorMetrics[];
  /** Per fraud scenario (from the file's scenario column): its frauds against all genuine transactions. */
  readonly scenarios: Record<string, { readonly frauds: number; readonly auc_roc: number; readonly recall: number }>;
  /** Mean contribution (log-odds) of each risk-score input on the replay's fraud and genuine transactions. */
  readonly contributions: Record<string, { readonly mean_fraud: number; readonly mean_genuine: number }>;
}

export interface ReportOptions {
  readonly runId: string;
  readonly template: string;
  readonly input: string;
  readonly feedbackDelay: number;
  readonly slots: readonly DetectorSlot[];
  /** Metrics cover events with evaluateFrom <= time < evaluateTo. */
  readonly evaluateFrom?: number;
  readonly evaluateTo?: number;
  readonly now: number;
}

/** Everything the backtest reports, computed from the replay's outcomes. */
export function buildReport(result: ReplayResult, options: ReportOptions): BacktestReport {
  const { outcomes } = result;
  const protocol = handbookProtocol(outcomes, options);
  const { all, unknown, perDayAll, perDayUnknown, cardPrecisionUnknown: cpUnknown } = protocol;

  const perDay: DayMetrics[] = perDayUnknown.map(({ day, indices }, d) => {
    const dayAll = perDayAll.find((x) => x.day === day)?.indices ?? indices;
    return {
      day: new Date(day).toISOString().slice(0, 10),
      ...rankingMetrics(outcomes, indices, cpUnknown.perDay[d]!.precision),
      ...alertCounts(outcomes, dayAll),
    };
  });
  const contributions: BacktestReport['contributions'] = {};
  for (const [name, sums] of Object.entries(result.contributions)) {
    contributions[name] = {
      mean_fraud: round(sums.fraud / Math.max(result.labelledFrauds, 1), 4),
      mean_genuine: round(sums.genuine / Math.max(result.labelledGenuine, 1), 4),
    };
  }
  const elapsed = result.elapsedMs;
  return {
    run_id: options.runId,
    template: options.template,
    input: options.input,
    created_at: new Date(options.now).toISOString(),
    feedback_delay_ms: options.feedbackDelay,
    score_signal: result.scoreSignal ?? null,
    evaluated: { from: iso(options.evaluateFrom), to: iso(options.evaluateTo) },
    replay: {
      lines: result.lines,
      events: outcomes.size,
      skipped_outside_range: result.skipped,
      invalid: result.invalid,
      invalid_examples: result.invalidExamples,
      late: result.late,
      labels_delivered: result.labelsDelivered,
      detector_failures: result.detectorFailures,
      elapsed_ms: Math.round(elapsed),
      events_per_second: Math.round((outcomes.size / elapsed) * 1000),
    },
    handbook_protocol: protocol.handbookProtocol,
    all_transactions: protocol.allTransactions,
    alerts: alertCounts(outcomes, all),
    per_day: perDay,
    time_to_detection: detectionDelay(outcomes, all),
    detectors: detectorMetrics(outcomes, all, options.slots),
    scenarios: scenarioMetrics(outcomes, unknown),
    contributions,
  };
}

function alertCounts(outcomes: Outcomes, indices: Int32Array): { alerts: number; precision: number; recall: number } {
  let alerts = 0;
  let hits = 0;
  let frauds = 0;
  for (const i of indices) {
    const fraud = outcomes.fraud[i] === 1;
    if (fraud) frauds++;
    if (outcomes.alerts[i] === 0) continue;
    alerts++;
    if (fraud) hits++;
  }
  return { alerts, precision: round(alerts === 0 ? Number.NaN : hits / alerts, 4), recall: round(frauds === 0 ? Number.NaN : hits / frauds, 4) };
}

function detectorMetrics(outcomes: Outcomes, indices: Int32Array, slots: readonly DetectorSlot[]): DetectorMetrics[] {
  const frauds = countLabel(outcomes, indices, 1);
  return slots.map((slot, d) => {
    const bit = 1 << d;
    let findings = 0;
    let alerts = 0;
    let hits = 0;
    let only = 0;
    for (const i of indices) {
      if (outcomes.findings[i]! & bit) findings++;
      if (!(outcomes.alerts[i]! & bit)) continue;
      alerts++;
      if (outcomes.fraud[i] !== 1) continue;
      hits++;
      if (outcomes.alerts[i] === bit) only++;
    }
    return {
      detector: slot.id,
      type: slot.definition.meta.name,
      findings,
      alerts,
      precision: round(alerts === 0 ? Number.NaN : hits / alerts, 4),
      recall: round(frauds === 0 ? Number.NaN : hits / frauds, 4),
      frauds_only_it_caught: only,
    };
  });
}

function scenarioMetrics(outcomes: Outcomes, indices: Int32Array): BacktestReport['scenarios'] {
  const out: Record<string, { frauds: number; auc_roc: number; recall: number }> = {};
  outcomes.scenarios.forEach((name, s) => {
    const selected = Int32Array.from([...indices].filter((i) => outcomes.fraud[i] === 0 || outcomes.scenario[i] === s));
    const frauds = countLabel(outcomes, selected, 1);
    if (frauds === 0) return;
    let caught = 0;
    for (const i of selected) if (outcomes.fraud[i] === 1 && outcomes.alerts[i] !== 0) caught++;
    out[name === '' ? 'unnamed' : name] = {
      frauds,
      auc_roc: round(aucRoc({ score: outcomes.score, fraud: outcomes.fraud, indices: selected }), 4),
      recall: round(caught / frauds, 4),
    };
  });
  return out;
}

function iso(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}
