import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadNabCorpus, readPublishedScores } from './nab-corpus.js';
import { DEFAULT_COST_MATRICES, NAB_PROFILES, type NabProfile } from './nab-profiles.js';
import { scoreAllProfiles } from './nab-score.js';
import { scaledSigmoid } from './scaled-sigmoid.js';
import { bestThreshold, scoreAtThreshold, sweepFile } from './sweeper.js';

const ROOT = path.resolve('../shared/data/nab');
const HAVE_NAB = existsSync(path.join(ROOT, 'results', 'numenta'));
if (!HAVE_NAB) console.warn(`NAB reproduction skipped: ${ROOT} is absent (see ../shared/data/README.md)`);

describe('NAB sweeper', () => {
  const costs = DEFAULT_COST_MATRICES.standard;
  // 2000 rows: probation is the first 300; one window at rows 1000..1099.
  const windows = [{ start: 1000, end: 1099 }];

  it('weighs the scaled sigmoid like NAB', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  it('scores a detection at the window start as tpWeight, a miss as -fnWeight, an FP before any window as -fpWeight', () => {
    const scores = new Float64Array(2000);
    expect(scoreAtThreshold(sweepFile('f', scores, windows, costs), 0.5, costs).score).toBe(-1);
    scores[1000] = 1;
    expect(scoreAtThreshold(sweepFile('f', scores, windows, costs), 0.5, costs).score).toBeCloseTo(1, 10);
    scores[500] = 1;
    expect(scoreAtThreshold(sweepFile('f', scores, windows, costs), 0.5, costs).score).toBeCloseTo(1 - 0.11, 10);
    // Inside the probationary period nothing counts.
    scores[10] = 1;
    expect(scoreAtThreshold(sweepFile('f', scores, windows, costs), 0.5, costs).score).toBeCloseTo(1 - 0.11, 10);
  });

  it('counts only the earliest detection in a window, and the sweep finds the threshold that pays', () => {
    const scores = new Float64Array(2000);
    scores[1090] = 0.9; // late in the window
    scores[1010] = 0.6; // early in the window
    scores[1500] = 0.7; // an FP far after the window
    const file = sweepFile('f', scores, windows, costs);
    const late = scoreAtThreshold(file, 0.9, costs).score;
    const early = scoreAtThreshold(file, 0.6, costs).score;
    expect(early).toBeGreaterThan(late);
    expect(scoreAtThreshold(file, 0.6, costs).detectedWindows).toBe(1);
    expect(bestThreshold([file], costs).threshold).toBe(0.6);
    expect(bestThreshold([file], costs).score).toBeCloseTo(early, 10);
  });
});

(HAVE_NAB ? describe : describe.skip)('NAB scorer on the published results (../shared/data/nab)', () => {
  const corpus = HAVE_NAB ? loadNabCorpus(ROOT) : undefined;
  const thresholds = HAVE_NAB
    ? (JSON.parse(readFileSync(path.join(ROOT, 'config', 'thresholds.json'), 'utf8')) as Record<string, Record<NabProfile, { threshold: number }>>)
    : {};

  function at(detector: string): Record<NabProfile, number> {
    const t = thresholds[detector]!;
    return Object.fromEntries(NAB_PROFILES.map((p) => [p, t[p].threshold])) as Record<NabProfile, number>;
  }

  it('reproduces Numenta HTM: 70.10 / 63.12 / 74.32', () => {
    const results = scoreAllProfiles(corpus!, readPublishedScores(corpus!, 'numenta'), at('numenta'));
    expect(results.map((r) => r.normalized.toFixed(2))).toEqual(['70.10', '63.12', '74.32']);
    expect(results.map((r) => r.windows)).toEqual([116, 116, 116]);
  });

  it('scores the null detector 0 on every profile', () => {
    const results = scoreAllProfiles(corpus!, readPublishedScores(corpus!, 'null'), at('null'));
    expect(results.map((r) => r.normalized)).toEqual([0, 0, 0]);
  });
});
