export interface CardPrecisionInput {
  readonly score: Float64Array;
  readonly fraud: Uint8Array;
  readonly card: Int32Array;
  /** Events of each day, in day order. */
  readonly days: readonly { readonly day: number; readonly indices: Int32Array }[];
  readonly k: number;
}

export interface CardPrecisionResult {
  readonly perDay: { readonly day: number; readonly precision: number; readonly compromisedCards: number }[];
  readonly mean: number;
}

/**
 * Card precision@k per day, as the Fraud Detection Handbook defines it (card_precision_top_k):
 * each day, every card is scored by its highest transaction score and is compromised if any of its
 * transactions that day is fraud; the k highest-scored cards are what investigators can check, and
 * the precision is compromised cards among them / k. Cards found compromised in the top k of an
 * earlier day are removed from later days (they are blocked). The result is the mean over days.
 */
export function cardPrecisionAtK({ score, fraud, card, days, k }: CardPrecisionInput): CardPrecisionResult {
  const detected = new Set<number>();
  const perDay: CardPrecisionResult['perDay'] = [];
  for (const { day, indices } of days) {
    const best = new Map<number, { score: number; fraud: boolean }>();
    for (const i of indices) {
      const c = card[i]!;
      if (detected.has(c)) continue;
      const entry = best.get(c);
      if (!entry) best.set(c, { score: score[i]!, fraud: fraud[i] === 1 });
      else {
        if (score[i]! > entry.score) entry.score = score[i]!;
        if (fraud[i] === 1) entry.fraud = true;
      }
    }
    let compromisedCards = 0;
    for (const entry of best.values()) if (entry.fraud) compromisedCards++;
    const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, k);
    let hits = 0;
    for (const [c, entry] of ranked) {
      if (!entry.fraud) continue;
      hits++;
      detected.add(c);
    }
    perDay.push({ day, precision: hits / k, compromisedCards });
  }
  const mean = perDay.length === 0 ? Number.NaN : perDay.reduce((sum, d) => sum + d.precision, 0) / perDay.length;
  return { perDay, mean };
}
