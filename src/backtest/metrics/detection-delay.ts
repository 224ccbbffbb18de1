import type { Outcomes } from '../outcomes.js';

export interface DetectionDelay {
  /** Cards with at least one fraud in the evaluated events. */
  readonly fraudCards: number;
  /** Of those, cards alerted at or after their first fraud. */
  readonly detectedCards: number;
  /** Event time from a card's first fraud to its first alert, over detected cards. */
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p90Ms: number;
  /** Transactions of the card from its first fraud up to and including the alerted one (median). */
  readonly medianTransactions: number;
}

/**
 * Time to detection: for each card, from its first fraudulent transaction to the first alert on
 * one of its transactions at or after it. Events are taken in replay order, which is time order
 * for a sorted history.
 */
export function detectionDelay(outcomes: Outcomes, indices: Int32Array): DetectionDelay {
  const firstFraud = new Map<number, { time: number; transactions: number; detected: boolean }>();
  const delays: number[] = [];
  const counts: number[] = [];
  for (const i of indices) {
    const card = outcomes.card[i]!;
    let state = firstFraud.get(card);
    if (!state) {
      if (outcomes.fraud[i] !== 1) continue;
      state = { time: outcomes.time[i]!, transactions: 0, detected: false };
      firstFraud.set(card, state);
    }
    if (state.detected) continue;
    state.transactions++;
    if (outcomes.alerts[i] !== 0) {
      state.detected = true;
      delays.push(outcomes.time[i]! - state.time);
      counts.push(state.transactions);
    }
  }
  return {
    fraudCards: firstFraud.size,
    detectedCards: delays.length,
    medianMs: quantile(delays, 0.5),
    meanMs: delays.length === 0 ? Number.NaN : delays.reduce((a, b) => a + b, 0) / delays.length,
    p90Ms: quantile(delays, 0.9),
    medianTransactions: quantile(counts, 0.5),
  };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
