/**
 * One measurement of `npm run eval:social` (sentiment, volume anomaly, match events…). The entry
 * checks every part's data before running any, so a missing data set fails in a second, not after
 * minutes of another part's work.
 */
export interface SocialEvalPart {
  readonly name: string;
  /** One line saying what is missing and where to get it, or undefined when the data is there. */
  missingData(dataDir: string): string | undefined;
  /** Runs the measurement and returns its printed table. */
  run(dataDir: string, options: { readonly dev: boolean }): string;
}
