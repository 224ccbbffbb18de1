// A line per finished test file with the run's overall progress: jest prints a running total only
// to a terminal, and `npm test` takes minutes. Plain ES module: jest loads reporters untransformed.
export default class ProgressReporter {
  #total = 0;
  #done = 0;
  #started = Date.now();

  onRunStart(results) {
    this.#total = results.numTotalTestSuites;
    this.#started = Date.now();
  }

  onTestFileResult(_test, _result, aggregated) {
    this.#done += 1;
    const seconds = Math.round((Date.now() - this.#started) / 1000);
    const elapsed = `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
    const failed = aggregated.numFailedTests > 0 ? `, ${aggregated.numFailedTests} failed` : '';
    process.stderr.write(`progress: ${this.#done}/${this.#total} files, ${aggregated.numPassedTests} tests passed${failed}, ${elapsed}\n`);
  }
}
