import type { Outcomes } from '../outcomes.js';
import { UNLABELLED } from '../outcomes.js';
import { cardPrecisionAtK, type CardPrecisionResult } from './card-precision.js';
import { knownCompromised } from './known-compromised.js';
import { averagePrecision, aucRoc } from './ranking.js';

const DAY = 86_400_000;
/** Cards investigators check per day, the Handbook's k. */
export const CARDS_PER_DAY = 100;

export interface RankingMetrics {
  readonly events: number;
  readonly frauds: number;
  readonly auc_roc: number;
  readonly average_precision: number;
  readonly card_precision_at_100: number;
}

export interface DayIndices {
  readonly day: number;
  readonly indices: Int32Array;
}

export interface ProtocolOptions {
  /** Metrics cover labelled events with evaluateFrom <= time < evaluateTo. */
  readonly evaluateFrom?: number;
  readonly evaluateTo?: number;
  readonly feedbackDelay: number;
}

export interface ProtocolMetrics {
  /** Every labelled event evaluated, and those of cards not yet known compromised. */
  readonly all: Int32Array;
  readonly unknown: Int32Array;
  readonly perDayAll: readonly DayIndices[];
  readonly perDayUnknown: readonly DayIndices[];
  readonly cardPrecisionUnknown: CardPrecisionResult;
  /** The Handbook's protocol: known compromised cards left out (see known-compromised.ts). */
  readonly handbookProtocol: RankingMetrics;
  readonly allTransactions: RankingMetrics;
}

/**
 * The Fraud Detection Handbook's assessment of a score, on any Outcomes: which events are scored
 * (the evaluated period, minus cards known compromised), AUC ROC, average precision and card
 * precision@100. The backtest report and the reproduced Handbook baseline both go through this one
 * function, so a comparison between them is on the same transactions with the same metric code.
 */
export function handbookProtocol(outcomes: Outcomes, options: ProtocolOptions): ProtocolMetrics {
  const from = options.evaluateFrom ?? -Infinity;
  const to = options.evaluateTo ?? Infinity;
  const evaluated: number[] = [];
  for (let i = 0; i < outcomes.size; i++) {
    const t = outcomes.time[i]!;
    if (t >= from && t < to && outcomes.fraud[i] !== UNLABELLED) evaluated.push(i);
  }
  const all = Int32Array.from(evaluated);
  const known = knownCompromised(outcomes, options.evaluateFrom ?? (evaluated.length > 0 ? outcomes.time[evaluated[0]!]! : 0), options.feedbackDelay);
  const unknown = Int32Array.from(evaluated.filter((i) => known[i] === 0));
  const perDayAll = splitByDay(outcomes, all);
  const perDayUnknown = splitByDay(outcomes, unknown);
  const cardPrecisionAll = cardPrecisionAtK({ ...outcomes, days: perDayAll, k: CARDS_PER_DAY });
  const cardPrecisionUnknown = cardPrecisionAtK({ ...outcomes, days: perDayUnknown, k: CARDS_PER_DAY });
  return {
    all,
    unknown,
    perDayAll,
    perDayUnknown,
    cardPrecisionUnknown,
    handbookProtocol: rankingMetrics(outcomes, unknown, cardPrecisionUnknown.mean),
    allTransactions: rankingMetrics(outcomes, all, cardPrecisionAll.mean),
  };
}

/** AUC, AP and counts of `indices`, with the card precision computed over their days. */
export function rankingMetrics(outcomes: Outcomes, indices: Int32Array, cardPrecision: number): RankingMetrics {
  const input = { score: outcomes.score, fraud: outcomes.fraud, indices };
  return {
    events: indices.length,
    frauds: countLabel(outcomes, indices, 1),
    auc_roc: round(aucRoc(input), 4),
    average_precision: round(averagePrecision(input), 4),
    card_precision_at_100: round(cardPrecision, 4),
  };
}

/** Events by UTC day (the Handbook's TX_TIME_DAYS), days in order. */
export function splitByDay(outcomes: Outcomes, indices: Int32Array): DayIndices[] {
  const byDay = new Map<number, number[]>();
  for (const i of indices) {
    const day = Math.floor(outcomes.time[i]! / DAY) * DAY;
    let list = byDay.get(day);
    if (!list) byDay.set(day, (list = []));
    list.push(i);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, list]) => ({ day, indices: Int32Array.from(list) }));
}

/** How many of `indices` carry `label` (1 fraud, 0 genuine). */
export function countLabel(outcomes: Outcomes, indices: Int32Array, label: number): number {
  let n = 0;
  for (const i of indices) if (outcomes.fraud[i] === label) n++;
  return n;
}

/** `n` to `digits` decimals; NaN and infinities as they are (metrics of empty sets). */
export function round(n: number, digits: number): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
