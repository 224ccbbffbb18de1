import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from './line-splitter.js';

/** What node:readline (crlfDelay: Infinity, as the line source used before) makes of these chunks. */
async function readlineLines(chunks: readonly Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function splitterLines(chunks: readonly Buffer[]): string[] {
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(decoder.write(chunk)));
  lines.push(...splitter.end());
  return lines;
}

const TEXTS = [
  '',
  'a',
  'a\n',
  'a\nb',
  'a\nb\n',
  '\n\n',
  'h1,h2\r\n1,2\r\n3,4\r\n',
  'h1,h2\r\n1,2\r\n3,4',
  'a\rb\r\nc\n\rd\r',
  'a\r\rb\r\n\r\n',
  '\ufeffid,name\n1,Zoë\n2,€\n',
];

describe('LineSplitter', () => {
  it.each(TEXTS.map((text) => [JSON.stringify(text), text]))('cuts %s into the lines readline gives, however it is chunked', async (_, text) => {
    const bytes = Buffer.from(text);
    const expected = await readlineLines([bytes]);
    expect(splitterLines([bytes])).toEqual(expected);
    // Every cut into two chunks and every cut into three (inside \r\n and UTF-8 sequences too).
    for (let i = 0; i <= bytes.length; i++) {
      expect(splitterLines([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(expected);
      for (let j = i; j <= bytes.length; j++) {
        expect(splitterLines([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)])).toEqual(expected);
      }
    }
  });

  it('drops a UTF-8 sequence cut off by the end of the text, like readline', async () => {
    const bytes = Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]);
    expect(splitterLines([bytes])).toEqual(await readlineLines([bytes]));
    expect(splitterLines([bytes])).toEqual(['a', 'b']);
  });
});
