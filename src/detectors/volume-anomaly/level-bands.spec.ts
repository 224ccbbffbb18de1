import { allBandsVisited, LEVEL_BANDS_LENGTH, visitLevelBand } from './level-bands.js';

const P = { bandWidth: 2, bandLow: -4, bandHigh: 3, alphaSlow: 0.015 };

/** Feeds values to a fresh band state; returns which were new. */
function visit(values: readonly number[]): boolean[] {
  const s = new Array<number>(LEVEL_BANDS_LENGTH).fill(0);
  return values.map((v, n) => visitLevelBand(s, 0, P, n, 1e-9, v));
}

describe('level bands', () => {
  it('reports a band new only on its first visit', () => {
    const values = Array.from({ length: 200 }, (_, i) => 100 + (i % 2 === 0 ? 10 : -10));
    const seen = visit(values);
    expect(seen.slice(0, 3).some(Boolean)).toBe(true);
    expect(seen.slice(10).some(Boolean)).toBe(false);
  });

  it('finds a far level new, and the same level again not', () => {
    const values = [...Array.from({ length: 200 }, (_, i) => 100 + (i % 2 === 0 ? 10 : -10)), 200, 100, 200];
    const seen = visit(values);
    expect(seen[200]).toBe(true);
    expect(seen[202]).toBe(false);
  });

  it('counts anything beyond the outermost band in it', () => {
    const values = [...Array.from({ length: 200 }, (_, i) => 100 + (i % 2 === 0 ? 10 : -10)), 10_000, 1_000_000];
    const seen = visit(values);
    expect(seen[200]).toBe(true);
    expect(seen[201]).toBe(false);
  });

  it('marks every band visited for a state of unknown history', () => {
    expect(allBandsVisited(-4, 3)).toBe(255);
    expect(allBandsVisited(-40, 40)).toBe(2 ** 31 - 1);
  });
});
