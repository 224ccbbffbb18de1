import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../errors/vigil-error.js';
import { LineSplitter } from './line-splitter.js';

/** gzip's magic number: files are unzipped by content, whatever their name. */
const GZIP_MAGIC = [0x1f, 0x8b];

/** The lines of a text file, gzipped or not, and how many bytes of the file were read so far. */
export interface LineSource {
  /** Every line, in order, in batches (one per chunk read; never empty). */
  readonly lineBatches: AsyncIterable<readonly string[]>;
  readonly totalBytes: number;
  bytesRead(): number;
}

export async function openLines(file: string): Promise<LineSource> {
  let totalBytes: number;
  let gzipped: boolean;
  try {
    const handle = await open(file, 'r');
    try {
      totalBytes = (await handle.stat()).size;
      const head = Buffer.alloc(2);
      await handle.read(head, 0, 2, 0);
      gzipped = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw new VigilError('VIGIL_CONFIG_INVALID', `cannot read input ${file}: ${(cause as Error).message}`, { cause });
  }
  // Large chunks: the default 64 KiB makes the stream machinery a visible share of a replay.
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const text = gzipped ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  raw.on('error', (error) => text.destroy(error));
  return {
    lineBatches: batchesOf(text),
    totalBytes,
    bytesRead: () => raw.bytesRead,
  };
}

/** The text's lines, as readline would give them (see LineSplitter), a chunk's worth at a time. */
async function* batchesOf(text: Readable): AsyncIterable<readonly string[]> {
  // Like readline, a UTF-8 sequence cut off by the end of the file is dropped, not replaced.
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  for await (const chunk of text) {
    const lines = splitter.push(decoder.write(chunk as Buffer));
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}
