import { PassThrough, Readable } from 'node:stream';
import { scoreLines, sentimentJsonLine } from './sentiment-lines.js';

async function run(chunks: (Buffer | string)[]): Promise<{ lines: { score: number; label: string }[]; count: number }> {
  const output = new PassThrough();
  const parts: Buffer[] = [];
  output.on('data', (chunk: Buffer) => parts.push(chunk));
  const count = await scoreLines(Readable.from(chunks), output);
  output.end();
  const text = Buffer.concat(parts).toString('utf8');
  return { lines: text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { score: number; label: string }), count };
}

describe('scoreLines', () => {
  it('writes one JSON line per input line, in order, an empty line neutral 0', async () => {
    const { lines, count } = await run(['I love it\n\nI hate it\n']);
    expect(count).toBe(3);
    expect(lines.map((l) => l.label)).toEqual(['positive', 'neutral', 'negative']);
    expect(lines[1]).toEqual({ score: 0, label: 'neutral' });
  });

  it('joins lines and characters split across chunks, reads CRLF, scores a last line without a line end', async () => {
    const heart = Buffer.from('so happy 😍\r\n', 'utf8');
    const { lines } = await run([heart.subarray(0, 10), heart.subarray(10), Buffer.from('terri'), Buffer.from('ble')]);
    expect(lines).toEqual([JSON.parse(sentimentJsonLine('so happy 😍')), JSON.parse(sentimentJsonLine('terrible'))]);
    expect(lines.map((l) => l.label)).toEqual(['positive', 'negative']);
  });

  it('scores invalid UTF-8 with the bad bytes replaced, and a 1 MB line', async () => {
    const { lines } = await run([Buffer.from([0xff, 0xfe, 0x20]), Buffer.from('great\n'), `${'good '.repeat(210_000)}\n`, 'bad\n']);
    expect(lines.map((l) => l.label)).toEqual(['positive', 'positive', 'negative']);
    for (const line of lines) expect(Math.abs(line.score)).toBeLessThanOrEqual(1);
  });

  it('prints scores rounded to 4 decimals', () => {
    expect(sentimentJsonLine('good')).toMatch(/^\{"score":0\.\d{1,4},"label":"positive"\}\n$/);
  });
});
