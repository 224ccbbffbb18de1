import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** A changelog record as encodeRecord() makes it and the producer sends it. */
export interface EncodedRecord {
  readonly key: string;
  readonly value: string | Buffer | null;
}

/** A record read back from the spill file, ready for the producer (no string copies). */
export interface SpilledRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/** Bytes before each record: key length (u32), value length (i32, -1 for a tombstone). */
const HEADER = 8;
const READ_CHUNK = 8 * 1024 * 1024;
/**
 * Upper bound of what Kafka's record format adds per record (length, attributes, timestamp and
 * offset deltas, key and value lengths, header count, as varints), so that a batch of `batchBytes`
 * stays one record batch under the broker's message.max.bytes (1 MiB by default).
 */
export const RECORD_OVERHEAD = 16;

/**
 * The changelog records drained during the state run, appended to a file as they are drained, so
 * they are neither held on the heap being measured (they are not state) nor sent to Kafka while
 * the detectors run. Read back afterwards in producer-sized batches. Format per record:
 * u32 key bytes, i32 value bytes (-1 = null), key UTF-8, value bytes.
 */
export class ChangelogSpill {
  private readonly fd: number;
  records = 0;
  /** Key + value bytes (UTF-8), without the file's length headers. */
  bytes = 0;

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  append(records: readonly EncodedRecord[]): void {
    if (records.length === 0) return;
    let size = 0;
    for (const r of records) size += HEADER + Buffer.byteLength(r.key) + (r.value === null ? 0 : Buffer.byteLength(r.value));
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const r of records) {
      const keyAt = at + HEADER;
      const keyBytes = out.write(r.key, keyAt);
      const valueBytes = r.value === null ? -1 : typeof r.value === 'string' ? out.write(r.value, keyAt + keyBytes) : r.value.copy(out, keyAt + keyBytes);
      out.writeUInt32LE(keyBytes, at);
      out.writeInt32LE(valueBytes, at + 4);
      at = keyAt + keyBytes + Math.max(0, valueBytes);
      this.bytes += keyBytes + Math.max(0, valueBytes);
    }
    for (let written = 0; written < size; ) written += writeSync(this.fd, out, written, size - written);
    this.records += records.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * The records in file order, in batches of at most `batchBytes` (key + value + RECORD_OVERHEAD
   * per record; at least one record each).
   */
  *batches(batchBytes: number): Generator<SpilledRecord[]> {
    const fd = openSync(this.file, 'r');
    try {
      let pending: Buffer = Buffer.alloc(0);
      let batch: SpilledRecord[] = [];
      let batchSize = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(READ_CHUNK);
        const read = readSync(fd, chunk, 0, READ_CHUNK, null);
        if (read === 0) break;
        const data = pending.length === 0 ? chunk.subarray(0, read) : Buffer.concat([pending, chunk.subarray(0, read)]);
        let at = 0;
        while (data.length - at >= HEADER) {
          const keyBytes = data.readUInt32LE(at);
          const valueBytes = data.readInt32LE(at + 4);
          const end = at + HEADER + keyBytes + Math.max(0, valueBytes);
          if (end > data.length) break;
          const key = data.subarray(at + HEADER, at + HEADER + keyBytes);
          const value = valueBytes < 0 ? null : data.subarray(at + HEADER + keyBytes, end);
          const size = keyBytes + Math.max(0, valueBytes) + RECORD_OVERHEAD;
          if (batch.length > 0 && batchSize + size > batchBytes) {
            yield batch;
            batch = [];
            batchSize = 0;
          }
          batch.push({ key, value });
          batchSize += size;
          at = end;
        }
        pending = data.subarray(at);
      }
      if (pending.length > 0) throw new Error(`spill file ${this.file} ends inside a record (${pending.length} bytes left)`);
      if (batch.length > 0) yield batch;
    } finally {
      closeSync(fd);
    }
  }
}
