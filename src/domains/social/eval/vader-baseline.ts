import { createRequire } from 'node:module';

interface VaderModule {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}

/**
 * The npm `vader-sentiment` package (a dev dependency), the baseline every sentiment number is
 * reported beside. Loaded on demand: nothing at run time depends on it.
 */
export function loadVaderBaseline(): (text: string) => number {
  const require = createRequire(import.meta.url);
  let vader: VaderModule;
  try {
    vader = require('vader-sentiment') as VaderModule;
  } catch (error) {
    throw new Error('the vader-sentiment dev dependency is not installed (npm install)', { cause: error });
  }
  const analyzer = vader.SentimentIntensityAnalyzer;
  return (text) => analyzer.polarity_scores(text).compound;
}
