import type { Outcomes } from '../outcomes.js';

const DAY = 86_400_000;
/** The Handbook's training period before its delay period: labels from then on mark cards known. */
const TRAINING_WEEK = 7 * DAY;

/**
 * Marks transactions of cards already known to be compromised, as the Fraud Detection Handbook's
 * test protocol (get_train_test_set) removes them: on test day D, a card is known when one of its
 * transactions from the training week on (evaluation start − delay − 7 days) was fraud and its
 * label arrived before D began (transaction time + delay < start of D). Such a card would be
 * blocked, so scoring its transactions measures nothing.
 */
export function knownCompromised(outcomes: Outcomes, evaluateFrom: number, feedbackDelay: number): Uint8Array {
  const since = evaluateFrom - feedbackDelay - TRAINING_WEEK;
  const firstFraud = new Map<number, number>();
  for (let i = 0; i < outcomes.size; i++) {
    const t = outcomes.time[i]!;
    if (outcomes.fraud[i] !== 1 || t < since) continue;
    const card = outcomes.card[i]!;
    const first = firstFraud.get(card);
    if (first === undefined || t < first) firstFraud.set(card, t);
  }
  const known = new Uint8Array(outcomes.size);
  for (let i = 0; i < outcomes.size; i++) {
    const first = firstFraud.get(outcomes.card[i]!);
    if (first !== undefined && first + feedbackDelay < Math.floor(outcomes.time[i]! / DAY) * DAY) known[i] = 1;
  }
  return known;
}
