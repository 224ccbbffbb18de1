import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProjectConfig {
  readonly displayName: string;
  readonly setupFilesAfterEnv?: readonly string[];
}

interface Reporter {
  onRunStart(results: { numTotalTestSuites: number }): void;
  onTestFileResult(test: unknown, result: unknown, aggregated: { numPassedTests: number; numFailedTests: number }): void;
}

/** The timeout a project's setup files give every test (jest.setTimeout), if any. */
function projectTimeout(project: ProjectConfig): number | undefined {
  const timeouts = (project.setupFilesAfterEnv ?? []).flatMap((file) => {
    const match = /jest\.setTimeout\(([\d_]+)\)/.exec(readFileSync(file.replace('<rootDir>', '.'), 'utf8'));
    return match ? [Number(match[1]!.replaceAll('_', ''))] : [];
  });
  return timeouts.at(-1);
}

describe('npm test on a loaded 2-core machine', () => {
  it('gives unit tests at least 30 s and integration tests at least 120 s (jest defaults to 5 s)', async () => {
    const config = (await import(path.resolve('jest.config.js'))).default as { projects: ProjectConfig[] };
    const byName = new Map(config.projects.map((p) => [p.displayName, projectTimeout(p)]));
    expect(byName.get('unit')).toBeGreaterThanOrEqual(30_000);
    expect(byName.get('integration')).toBeGreaterThanOrEqual(120_000);
  });

  it('prints overall progress after every test file, terminal or not', async () => {
    const config = (await import(path.resolve('jest.config.js'))).default as { reporters: string[] };
    expect(config.reporters).toEqual(['default', '<rootDir>/test/utils/progress-reporter.mjs']);
    const Progress = (await import(path.resolve('test/utils/progress-reporter.mjs'))).default as new () => Reporter;
    const reporter = new Progress();
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      reporter.onRunStart({ numTotalTestSuites: 3 });
      reporter.onTestFileResult({}, {}, { numPassedTests: 4, numFailedTests: 0 });
      reporter.onTestFileResult({}, {}, { numPassedTests: 9, numFailedTests: 1 });
    } finally {
      process.stderr.write = write;
    }
    expect(lines).toEqual([expect.stringMatching(/^progress: 1\/3 files, 4 tests passed, 0m0\ds\n$/), expect.stringMatching(/^progress: 2\/3 files, 9 tests passed, 1 failed, 0m0\ds\n$/)]);
  });
});
