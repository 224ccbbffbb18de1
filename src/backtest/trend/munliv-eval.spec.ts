import { existsSync } from 'node:fs';
import path from 'node:path';
import { auroc } from './auroc.js';
import { DEFAULT_MUNLIV, evaluateMatch, medianRatioBaseline } from './munliv-eval.js';

const FILE = path.resolve(DEFAULT_MUNLIV);
const HAVE_MUNLIV = existsSync(FILE);
if (!HAVE_MUNLIV) console.warn(`MUNLIV evaluation skipped: ${FILE} is absent (see ../shared/data/README.md)`);

describe('published volume baseline', () => {
  it('divides each count by the median of up to 5 previous ones, the first scoring 1', () => {
    expect(medianRatioBaseline([10, 20, 30, 10, 10, 40, 90])).toEqual([1, 2, 2, 0.5, 10 / 15, 4, 4.5]);
  });

  it('has an AUROC of 1 when every labelled window is the largest jump', () => {
    const counts = [10, 11, 30, 10, 9, 10, 40, 11];
    expect(auroc(medianRatioBaseline(counts), [false, false, true, false, false, false, true, false])).toBe(1);
  });
});

(HAVE_MUNLIV ? describe : describe.skip)('MUNLIV (../shared/data/trend)', () => {
  const results = HAVE_MUNLIV ? evaluateMatch(FILE) : [];
  const named = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;

  it('reproduces the published baseline AUROC 0.736', () => {
    expect(named('baseline count/median5 ≥ 2').auroc).toBeCloseTo(0.736, 3);
  });

  it('scores the match with the detector defaults at least as well as the baseline, point by point', () => {
    const ours = named('volume-anomaly, defaults');
    const baseline = named('baseline count/median5 ≥ 2');
    expect(ours.auroc).toBeGreaterThanOrEqual(baseline.auroc - 1e-9);
    expect(ours.events.detected).toBeGreaterThanOrEqual(baseline.events.detected);
    expect(ours.events.falseAlarms).toBeLessThanOrEqual(baseline.events.falseAlarms);
  });
});
