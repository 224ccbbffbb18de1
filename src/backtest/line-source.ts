import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../errors/vigil-error.js';

/** gzip's magic number: files are unzipped by content, whatever their name. */
const GZIP_MAGIC = [0x1f, 0x8b];

/** The lines of a text file, gzipped or not, and how many bytes of the file were read so far. */
export interface LineSource {
  readonly lines: AsyncIterable<string>;
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
    lines: createInterface({ input: text, crlfDelay: Infinity }),
    totalBytes,
    bytesRead: () => raw.bytesRead,
  };
}
