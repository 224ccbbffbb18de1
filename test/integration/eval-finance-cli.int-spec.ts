import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const EVAL = path.resolve('dist/domains/finance/evaluation/finance-eval.js');

describe('npm run eval:finance without its data', () => {
  beforeAll(() => {
    if (!existsSync(EVAL)) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  it('exits 2 with one line naming the file, where the data comes from and how to point at it', () => {
    const missing = path.resolve('no-such-dir/transactions.csv.gz');
    const result = spawnSync(process.execPath, [EVAL, '--input', missing], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot read ${missing} (ENOENT)`);
    expect(lines[0]).toContain('https://github.com/Fraud-Detection-Handbook/simulated-data-raw');
    expect(lines[0]).toContain('npm run eval:finance -- --input <file>');
  });
});
