import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VADER_LEXICON } from './vader-lexicon.data.js';

const SOURCE = path.resolve('node_modules/vader-sentiment/vader_lexicon.txt');

describe('vader-lexicon.data.ts', () => {
  it('is exactly vader_lexicon.txt (tokens and mean ratings): regenerate with node tools/generate-sentiment-lexicon.mjs', () => {
    if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: the vader-sentiment dev dependency is not installed (npm install)`);
    const expected = readFileSync(SOURCE, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [token, mean] = line.split('\t');
        return [token, Number(mean)];
      });
    expect(VADER_LEXICON).toEqual(expected);
    expect(VADER_LEXICON.length).toBe(7517);
  });
});
