import { normalisedUtility } from '../utility/normalised-utility.js';
import { utilityInterval } from './utility-interval.js';

describe('utility bootstrap interval', () => {
  const septic = (hit: boolean) => ({ labels: [0, 0, 0, 1, 1, 1], predictions: hit ? [0, 0, 1, 1, 1, 1] : [0, 0, 0, 0, 0, 0] });
  const clean = (alarms: number) => ({ labels: [0, 0, 0, 0], predictions: [0, 0, 0, 0].map((_, i) => (i < alarms ? 1 : 0)) });
  const cohort = [septic(true), septic(false), septic(true), clean(0), clean(2), clean(1), clean(0), septic(true)];

  it('brackets the point estimate and is reproducible', () => {
    const point = normalisedUtility(cohort).normalised;
    const interval = utilityInterval(cohort, 500);
    expect(interval.low).toBeLessThanOrEqual(point);
    expect(interval.high).toBeGreaterThanOrEqual(point);
    expect(interval.high).toBeGreaterThan(interval.low);
    expect(utilityInterval(cohort, 500)).toEqual(interval);
  });

  it('collapses when every patient is scored perfectly', () => {
    const perfect = [septic(true), septic(true)].map((p) => ({ labels: p.labels, predictions: [1, 1, 1, 1, 1, 1] }));
    const value = normalisedUtility(perfect).normalised;
    expect(utilityInterval(perfect, 200)).toEqual({ low: value, high: value });
  });
});
