import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { humanLabel } from './sentiment-corpus.js';
import { inSplit, runSentimentEval, sentimentEvalPart } from './sentiment-eval.js';

describe('the sentiment part of eval:social', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-sentiment-eval-'));
    mkdirSync(path.join(dataDir, 'sentiment'));
    const rows = ['1\t2.5\tI love it', '2\t-2.0\tI hate it', '3\t0\tthe bus', '4\t1.1\tnice :)', '5\t-1.5\tnot good at all'];
    writeFileSync(path.join(dataDir, 'sentiment', 'tweets_GroundTruth.txt'), rows.join('\n'));
    writeFileSync(path.join(dataDir, 'sentiment', 'movieReviewSnippets_GroundTruth.txt'), `${rows.join('\n')}\n`);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('labels humans by the sign of the mean rating', () => {
    expect([1.2, -0.1, 0].map(humanLabel)).toEqual(['positive', 'negative', 'neutral']);
  });

  it('splits development (ids divisible by 5) from held-out', () => {
    expect([5, 10, 1, 4].map((id) => inSplit('development', id))).toEqual([true, true, false, false]);
    expect([5, 10, 1, 4].map((id) => inSplit('held-out', id))).toEqual([false, false, true, true]);
  });

  it('scores both corpora with both scorers, per split, and measures throughput', () => {
    const result = runSentimentEval(dataDir, { splits: ['all', 'held-out'], throughputMs: 1 });
    expect(result.rows.map((r) => [r.corpus, r.split, r.texts])).toEqual([
      ['tweets', 'all', 5],
      ['tweets', 'held-out', 4],
      ['movie snippets', 'all', 5],
      ['movie snippets', 'held-out', 4],
    ]);
    expect(result.rows[0]!.oursF1).toBe(1);
    expect(result.throughput.ours).toBeGreaterThan(0);
    expect(result.throughput.vader).toBeGreaterThan(0);
  });

  it('names the missing files and where to get them', () => {
    expect(sentimentEvalPart.missingData(dataDir)).toBeUndefined();
    expect(sentimentEvalPart.missingData(path.join(dataDir, 'nowhere'))).toMatch(/tweets_GroundTruth\.txt.*not found: .*\.\.\/shared\/data\/sentiment\//);
  });
});
