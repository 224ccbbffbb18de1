import { dailyRhythm, localHour } from './daily-rhythm.js';

const HOUR = 3_600_000;
const MIDNIGHT_UTC = Date.UTC(2025, 5, 1);

describe('dailyRhythm', () => {
  const weights = [...new Array<number>(12).fill(1), ...new Array<number>(12).fill(3)];

  it('averages 1 over a day', () => {
    const rhythm = dailyRhythm(weights, 0);
    const samples = Array.from({ length: 24 * 60 }, (_, minute) => rhythm(MIDNIGHT_UTC + minute * 60_000));
    expect(samples.reduce((sum, x) => sum + x, 0) / samples.length).toBeCloseTo(1, 6);
  });

  it('follows local time', () => {
    const utc = dailyRhythm(weights, 0);
    const cet = dailyRhythm(weights, 1);
    expect(utc(MIDNIGHT_UTC + 6 * HOUR)).toBeCloseTo(0.5);
    expect(utc(MIDNIGHT_UTC + 18 * HOUR)).toBeCloseTo(1.5);
    expect(cet(MIDNIGHT_UTC + 17 * HOUR)).toBeCloseTo(1.5);
    expect(localHour(MIDNIGHT_UTC + 23 * HOUR, 1)).toBe(0);
    expect(localHour(MIDNIGHT_UTC, -5)).toBe(19);
  });

  it('rejects a curve that is not 24 positive weights', () => {
    expect(() => dailyRhythm([1, 2], 0)).toThrow('expected 24 positive hourly weights');
    expect(() => dailyRhythm(new Array<number>(24).fill(0), 0)).toThrow('expected 24 positive hourly weights');
  });
});
