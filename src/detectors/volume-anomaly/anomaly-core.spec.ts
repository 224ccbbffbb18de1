import { coreStateLength, createAnomalyState, updateAnomaly } from './anomaly-core.js';
import { DEFAULT_CORE_PARAMS, DEFAULT_THRESHOLD } from './anomaly-defaults.js';
import { LEVEL_BANDS_LENGTH } from './level-bands.js';

const P = DEFAULT_CORE_PARAMS;
const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 0, 1);

/** A deterministic noisy daily rhythm: counts around 100 by day, 30 by night. */
function rhythm(i: number): number {
  const hour = ((i * 5) / 60) % 24;
  const level = hour >= 8 && hour < 20 ? 100 : 30;
  const noise = ((i * 7919) % 13) - 6; // -6..6, no randomness in tests
  return level + noise;
}

function run(values: readonly number[]): number[] {
  const s = createAnomalyState(P);
  return values.map((v, i) => updateAnomaly(s, P, T0 + i * FIVE_MIN, v));
}

describe('volume-anomaly core', () => {
  const normal = Array.from({ length: 288 * 14 }, (_, i) => rhythm(i));

  it('scores every point in [0, 1] and is quiet on a regular rhythm after it has learned it', () => {
    const scores = run(normal);
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
    const lastWeek = scores.slice(288 * 7);
    expect(lastWeek.filter((s) => s >= DEFAULT_THRESHOLD).length).toBeLessThanOrEqual(2);
  });

  it('flags a burst far above the rhythm, where a quiet series did not alarm', () => {
    const burst = [...normal];
    const at = 288 * 10 + 150; // day 10, mid-afternoon
    for (let k = 0; k < 6; k++) burst[at + k] = 600;
    const scores = run(burst);
    expect(Math.max(...scores.slice(at, at + 6))).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(Math.max(...scores.slice(at - 288, at))).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('never looks ahead: a prefix scores the same whatever follows it', () => {
    const a = run(normal.slice(0, 3000));
    const changed = [...normal];
    for (let i = 3000; i < changed.length; i++) changed[i] = 10_000;
    expect(run(changed).slice(0, 3000)).toEqual(a);
  });

  it('keeps a fixed-size state that survives a JSON round trip mid-stream', () => {
    const s = createAnomalyState(P);
    normal.slice(0, 2000).forEach((v, i) => updateAnomaly(s, P, T0 + i * FIVE_MIN, v));
    expect(s.length).toBe(coreStateLength(P));
    const restored = JSON.parse(JSON.stringify(s)) as number[];
    const rest = normal.slice(2000, 2600);
    const direct = rest.map((v, i) => updateAnomaly(s, P, T0 + (2000 + i) * FIVE_MIN, v));
    const resumed = rest.map((v, i) => updateAnomaly(restored, P, T0 + (2000 + i) * FIVE_MIN, v));
    expect(resumed).toEqual(direct);
    expect(s.length).toBe(coreStateLength(P));
  });

  it('scores a burst of a fresh key from its second point, before the learned model has warmed up', () => {
    const fresh = [1500, 1700, 1050, 800, 830, 700, 730, 600, 640, 610, 600, 720, 1700, 800];
    const scores = run(fresh);
    expect(P.warmup).toBeGreaterThan(fresh.length);
    const burst = scores[12]!; // 1700 against a median of 640
    expect(burst).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(Math.max(...scores.slice(2, 12))).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('hands over to the learned model after the warm-up: a doubling that is the rhythm is no alarm', () => {
    // Night 30 → day 100 every day: a short-horizon ratio would flag every morning; the seasonal bins do not.
    const steady = Array.from({ length: 288 * 14 }, (_, i) => (((i * 5) / 60) % 24 >= 8 && ((i * 5) / 60) % 24 < 20 ? 100 : 30));
    const scores = run(steady);
    const morning = 288 * 10 + 96; // 08:00 on day 10
    expect(steady[morning]! / steady[morning - 1]!).toBeGreaterThan(3);
    expect(scores[morning]).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('resumes a state saved before the burst ring existed, and gives it the current fixed length', () => {
    const s = createAnomalyState(P);
    normal.slice(0, 400).forEach((v, i) => updateAnomaly(s, P, T0 + i * FIVE_MIN, v));
    const old = s.slice(0, coreStateLength(P) - LEVEL_BANDS_LENGTH - 1 - P.burstWindow);
    const score = updateAnomaly(old, P, T0 + 400 * FIVE_MIN, normal[400]!);
    expect(Number.isFinite(score)).toBe(true);
    expect(old.length).toBe(coreStateLength(P));
  });

  it('resumes a state saved before the level bands existed without alarming on the levels it already held', () => {
    const s = createAnomalyState(P);
    normal.slice(0, 2000).forEach((v, i) => updateAnomaly(s, P, T0 + i * FIVE_MIN, v));
    const old = s.slice(0, coreStateLength(P) - LEVEL_BANDS_LENGTH);
    const rest = normal.slice(2000, 2600).map((v, i) => updateAnomaly(old, P, T0 + (2000 + i) * FIVE_MIN, v));
    expect(old.length).toBe(coreStateLength(P));
    expect(rest.filter((x) => x >= DEFAULT_THRESHOLD).length).toBeLessThanOrEqual(1);
  });

  it('flags a drift to a level the key has never held, which the calibrated score alone does not', () => {
    // A series swinging between about 75 and 125 (a standard deviation of about 15 around 100) that
    // holds 130 for ten points: barely beyond its peaks, so within the surprise it is used to, but
    // two deviations above its level, where it has never been.
    const wobble = (i: number): number => 100 + 20 * Math.sin(i / 3) + (((i * 7919) % 11) - 5);
    const series = Array.from({ length: 3000 }, (_, i) => wobble(i));
    const at = 2500;
    for (let k = 0; k < 10; k++) series[at + k] = 130;
    const withBands = run(series);
    const without = (() => {
      const q = { ...P, bandScore: 0 };
      const s = createAnomalyState(q);
      return series.map((v, i) => updateAnomaly(s, q, T0 + i * FIVE_MIN, v));
    })();
    expect(Math.max(...without.slice(at, at + 10))).toBeLessThan(DEFAULT_THRESHOLD);
    expect(Math.max(...withBands.slice(at, at + 10))).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(Math.max(...withBands.slice(1000, at))).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('scores a value that is not a number 0 and leaves the state unchanged', () => {
    const s = createAnomalyState(P);
    normal.slice(0, 500).forEach((v, i) => updateAnomaly(s, P, T0 + i * FIVE_MIN, v));
    const before = [...s];
    expect(updateAnomaly(s, P, T0 + 500 * FIVE_MIN, Number.NaN)).toBe(0);
    expect(s).toEqual(before);
  });
});
