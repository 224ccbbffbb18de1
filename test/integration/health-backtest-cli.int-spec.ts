import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = path.resolve('bin/vigil.js');
const SAMPLE = path.resolve('test/fixtures/health/physionet-sample.csv');

async function vigil(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Starting the CLI can take several seconds on a busy machine: jest's 5 s default is too short. */
const TIMEOUT = 60_000;

describe('vigil backtest --template health', () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-health-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('writes patient_id,ICULOS,score,prediction for every input row in input order', async () => {
    const out = path.join(dir, 'predictions.csv');
    const result = await vigil(['backtest', '--template', 'health', '--input', SAMPLE, '--predictions', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^replayed 72 patient-hours of 3 patients/);
    const input = (await fs.readFile(SAMPLE, 'utf8')).trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    const lines = (await fs.readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('patient_id,ICULOS,score,prediction');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).toEqual(input.map((r) => `${r[0]}:${r[13]}`));
    const model = JSON.parse(await fs.readFile('templates/health/sepsis-model.json', 'utf8')) as { threshold: number };
    for (const [, , score, prediction] of rows) {
      expect(Number(score)).toBeGreaterThan(0);
      expect(Number(score)).toBeLessThan(1);
      expect(prediction).toBe(Number(score) >= model.threshold ? '1' : '0');
    }
    // The deteriorating patient ends above its own first hours.
    const s002 = rows.filter((r) => r[0] === 's002').map((r) => Number(r[2]));
    expect(s002.at(-1)!).toBeGreaterThan(s002[0]! * 3);
  }, TIMEOUT);

  it('never reads SepsisLabel for scoring: other labels give the same predictions', async () => {
    const flipped = path.join(dir, 'flipped.csv');
    const text = await fs.readFile(SAMPLE, 'utf8');
    await fs.writeFile(flipped, text.replace(/,([01])\r$/gm, (_, l: string) => `,${l === '1' ? '0' : '1'}\r`));
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect((await vigil(['backtest', '--template', 'health', '--input', SAMPLE, '--predictions', a])).code).toBe(0);
    expect((await vigil(['backtest', '--template', 'health', '--input', flipped, '--predictions', b])).code).toBe(0);
    expect(await fs.readFile(b, 'utf8')).toBe(await fs.readFile(a, 'utf8'));
    expect(text).not.toBe(await fs.readFile(flipped, 'utf8'));
  }, TIMEOUT);

  it('fails in one line with exit code 2 when the input is absent', async () => {
    const result = await vigil(['backtest', '--template', 'health', '--input', path.join(dir, 'absent.csv'), '--predictions', path.join(dir, 'x.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^vigil: VIGIL_CONFIG_INVALID: .*absent\.csv: no such file.*\n$/);
    expect(existsSync(path.join(dir, 'x.csv'))).toBe(false);
  }, TIMEOUT);
});
