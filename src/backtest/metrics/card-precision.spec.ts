import { cardPrecisionAtK } from './card-precision.js';

describe('card precision@k (Fraud Detection Handbook)', () => {
  it('ranks cards by their highest score per day and removes cards found on earlier days', () => {
    // events: [day, card, score, fraud]
    const events: [number, number, number, number][] = [
      [0, 1, 0.9, 1],
      [0, 1, 0.1, 0],
      [0, 2, 0.8, 0],
      [0, 3, 0.2, 1],
      [1, 1, 0.95, 1], // card 1 was found on day 0: gone
      [1, 2, 0.7, 1],
      [1, 3, 0.6, 0],
      [1, 4, 0.1, 1],
    ];
    const result = cardPrecisionAtK({
      score: Float64Array.from(events.map((e) => e[2])),
      fraud: Uint8Array.from(events.map((e) => e[3])),
      card: Int32Array.from(events.map((e) => e[1])),
      days: [
        { day: 0, indices: Int32Array.from([0, 1, 2, 3]) },
        { day: 1, indices: Int32Array.from([4, 5, 6, 7]) },
      ],
      k: 2,
    });
    expect(result.perDay).toEqual([
      { day: 0, precision: 0.5, compromisedCards: 2 }, // top 2: card 1 (fraud), card 2
      { day: 1, precision: 0.5, compromisedCards: 2 }, // card 1 removed; top 2: card 2 (fraud), card 3
    ]);
    expect(result.mean).toBe(0.5);
  });
});
