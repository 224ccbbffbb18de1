import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = path.resolve('bin/vigil.js');

async function vigil(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' }, timeout: 60_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Each case starts the CLI process, which takes seconds on a loaded 2-core machine.
describe('vigil anomaly', () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-anomaly-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes timestamp,value,anomaly_score for every input row, and flags a spike after a steady stretch', async () => {
    const rows = ['timestamp,value'];
    const t0 = Date.UTC(2015, 1, 26, 0, 0, 0);
    for (let i = 0; i < 1200; i++) {
      const stamp = new Date(t0 + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
      const value = i === 1100 ? 500 : 40 + ((i * 7919) % 7) - 3;
      rows.push(`${stamp},${value}`);
    }
    const file = path.join(dir, 'series.csv');
    await fs.writeFile(file, `${rows.join('\n')}\n`);
    const result = await vigil(['anomaly', '--input', file]);
    expect(result.code).toBe(0);
    const out = result.stdout.trimEnd().split('\n');
    expect(out[0]).toBe('timestamp,value,anomaly_score');
    expect(out).toHaveLength(rows.length);
    const scores = out.slice(1).map((line, i) => {
      const [stamp, value, score] = line.split(',');
      expect(`${stamp},${value}`).toBe(rows[i + 1]);
      return Number(score);
    });
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
    expect(scores[1100]!).toBeGreaterThan(Math.max(...scores.slice(900, 1100)));
  }, 60_000);

  it('exits 2 with one line when the input is missing', async () => {
    const result = await vigil(['anomaly', '--input', path.join(dir, 'nope.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('input not found');
  }, 60_000);
});
