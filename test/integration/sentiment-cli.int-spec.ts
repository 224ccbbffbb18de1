import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CLI = path.resolve('bin/vigil.js');

interface Scored {
  readonly score: number;
  readonly label: string;
}

/** Runs `vigil sentiment` as a check outside the tests would: text on stdin, JSON lines on stdout. */
function vigilSentiment(input: Buffer | string): Promise<{ code: number | null; lines: Scored[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sentiment'], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      resolve({ code, lines: text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Scored), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(input);
  });
}

describe('vigil sentiment', () => {
  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  it('writes one {score, label} line per input line, in input order', async () => {
    const texts = ['I love this so much!!', '', 'this is NOT good :(', 'the train leaves at nine', 'worst. day. ever. 😡'];
    const result = await vigilSentiment(`${texts.join('\n')}\n`);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.lines.map((l) => l.label)).toEqual(['positive', 'neutral', 'negative', 'neutral', 'negative']);
    for (const line of result.lines) expect(line.score).toBeGreaterThanOrEqual(-1);
    for (const line of result.lines) expect(line.score).toBeLessThanOrEqual(1);
  }, 30_000);

  it('streams many lines in order in one process, with invalid UTF-8 and a 1 MB line among them', async () => {
    const lines: Buffer[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const positive = i % 3 === 0;
      lines.push(Buffer.from(positive ? `post x${i} is great\n` : i % 3 === 1 ? `post x${i} is awful\n` : `post x${i}\n`));
      expected.push(positive ? 'positive' : i % 3 === 1 ? 'negative' : 'neutral');
    }
    lines.splice(100, 0, Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' happy\n')]));
    expected.splice(100, 0, 'positive');
    lines.splice(200, 0, Buffer.from(`${'meh '.repeat(260_000)}\n`));
    expected.splice(200, 0, 'negative');
    const start = Date.now();
    const result = await vigilSentiment(Buffer.concat(lines));
    expect(result.code).toBe(0);
    expect(result.lines.map((l) => l.label)).toEqual(expected);
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 30_000);
});
