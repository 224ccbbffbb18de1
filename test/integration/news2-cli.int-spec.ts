import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CLI = path.resolve('bin/vigil.js');

/** Runs the compiled `vigil news2` with `input` on stdin. */
function news2(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'news2'], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Starting the CLI can take several seconds on a busy machine: jest's 5 s default is too short. */
const TIMEOUT = 60_000;

describe('vigil news2', () => {
  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  }, TIMEOUT);

  it('answers one line per input line, in order, with an error line in place of a bad one', async () => {
    const lines = [
      { resp_rate: 22, spo2: 93, on_oxygen: true, systolic_bp: 105, pulse: 115, consciousness: 'A', temperature: 38.5 },
      'not json',
      { spo2: 140 },
      { resp_rate: 16, spo2: 97, spo2_scale: 1, on_oxygen: false, systolic_bp: 120, pulse: 70, consciousness: 'C', temperature: 36.05 },
      { temperature: 3 },
      { pulse: -1 },
      { spo2: 97, spo2_scale: 2, on_oxygen: true },
    ];
    const result = await news2(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    expect(result.code).toBe(0);
    const out = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(7);
    expect(out[0]).toMatchObject({ total: 10, risk: 'high', points: { resp_rate: 2, spo2: 2, on_oxygen: 2, systolic_bp: 1, pulse: 2, consciousness: 0, temperature: 1 } });
    expect(out[1]!.error).toMatch(/^invalid JSON/);
    expect(out[2]).toEqual({ error: 'spo2: 140 is outside the plausible range 20–100 %' });
    expect(out[3]).toMatchObject({ total: 3, risk: 'low-medium', red_score: true, missing: [] });
    expect(out[4]!.error).toMatch(/^temperature: 3 /);
    expect(out[5]!.error).toMatch(/^pulse: -1 /);
    expect(out[6]).toMatchObject({ total: 5, risk: 'medium', missing: ['resp_rate', 'systolic_bp', 'pulse', 'consciousness', 'temperature'] });
  }, TIMEOUT);

  it('streams a large input through without losing or reordering lines', async () => {
    const n = 20_000;
    const input = Array.from({ length: n }, (_, i) => JSON.stringify({ pulse: 30 + (i % 120) })).join('\n');
    const result = await news2(input);
    const out = result.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(n);
    expect(JSON.parse(out[n - 1]!)).toMatchObject({ points: { pulse: 1 } }); // pulse 30 + 19999 % 120 = 109
    expect(JSON.parse(out[101]!)).toMatchObject({ points: { pulse: 3 } }); // 131
    expect(JSON.parse(out[11]!)).toMatchObject({ points: { pulse: 1 } }); // 41
  }, TIMEOUT);
});
