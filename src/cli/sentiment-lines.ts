import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { scoreSentiment } from '../domains/social/sentiment/scorer.js';

/** One output line: `{"score":0.4404,"label":"positive"}` (score rounded to 4 decimals as VADER prints it). */
export function sentimentJsonLine(text: string): string {
  const { score, label } = scoreSentiment(text);
  const rounded = Math.round(score * 10_000) / 10_000;
  return `{"score":${rounded === 0 ? 0 : rounded},"label":"${label}"}\n`;
}

/**
 * `vigil sentiment`'s loop: scores each line of `input` (UTF-8; invalid bytes become U+FFFD, "\r\n"
 * is one line end, an empty line is neutral 0) and writes one JSON line per input line, in order.
 * Each input chunk's results go out in one write, and a full output pauses the reading, so memory
 * stays bounded by the longest line whatever the input's size.
 */
export async function scoreLines(input: AsyncIterable<Uint8Array | string>, output: Writable): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let lines = 0;
  const flush = async (text: string): Promise<void> => {
    if (text.length > 0 && !output.write(text)) await once(output, 'drain');
  };
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let out = '';
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      out += sentimentJsonLine(lineAt(pending, start, end));
      lines++;
      start = end + 1;
    }
    pending = pending.slice(start);
    await flush(out);
  }
  pending += decoder.decode();
  if (pending.length > 0) {
    await flush(sentimentJsonLine(lineAt(pending, 0, pending.length)));
    lines++;
  }
  return lines;
}

function lineAt(text: string, start: number, end: number): string {
  return end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
}
