import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openLines } from './line-source.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(file: string): Promise<{ lines: string[]; batches: number; bytesRead: number; totalBytes: number }> {
  const source = await openLines(file);
  const lines: string[] = [];
  let batches = 0;
  for await (const batch of source.lineBatches) {
    expect(batch.length).toBeGreaterThan(0);
    batches++;
    lines.push(...batch);
  }
  return { lines, batches, bytesRead: source.bytesRead(), totalBytes: source.totalBytes };
}

/** Enough lines to span several 1 MiB chunks, the last without a line end. */
function bigText(): { text: string; lines: string[] } {
  const lines = Array.from({ length: 60_000 }, (_, i) => `${i},2018-04-01 00:00:${String(i % 60).padStart(2, '0')},${i % 5000},${i % 10000},${(i % 977) / 10},0,0,${i % 2},${i % 4}`);
  return { text: lines.join('\n'), lines };
}

describe('openLines', () => {
  it('gives every line of a plain file in order, in batches, the last one without a line end too', async () => {
    const { text, lines } = bigText();
    const file = path.join(dir, 'plain.csv');
    await writeFile(file, text);
    const read = await readAll(file);
    expect(read.lines).toEqual(lines);
    expect(read.batches).toBeGreaterThan(1);
    expect(read.bytesRead).toBe(read.totalBytes);
  });

  it('unzips gzipped files by content, whatever their name, with the same lines', async () => {
    const { text, lines } = bigText();
    const file = path.join(dir, 'gzipped.csv');
    await writeFile(file, gzipSync(`${text}\n`));
    const read = await readAll(file);
    expect(read.lines).toEqual(lines);
    expect(read.bytesRead).toBe(read.totalBytes);
  });

  it('ends lines at \\r\\n as well, and gives nothing for an empty file', async () => {
    const crlf = path.join(dir, 'crlf.csv');
    await writeFile(crlf, 'a,b\r\n1,2\r\n\r\n3,4');
    expect((await readAll(crlf)).lines).toEqual(['a,b', '1,2', '', '3,4']);
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');
    expect(await readAll(empty)).toMatchObject({ lines: [], batches: 0 });
  });

  it('reports a missing file as a configuration error', async () => {
    await expect(openLines(path.join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'VIGIL_CONFIG_INVALID' });
  });
});
