import type { IncomingMessage, MessageBatch } from '../../kafka/kafka.types.js';
import { PartitionBatcher, type PartitionBatcherOptions, type RowDecoder } from './sink.batcher.js';

const message = (offset: number, value: string | null = JSON.stringify({ n: offset })): IncomingMessage => ({
  topic: 'in',
  partition: 0,
  offset: String(offset),
  key: null,
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: 0,
});

const batch = (messages: IncomingMessage[], highWatermark = '1000'): MessageBatch => ({ topic: 'in', partition: 0, messages, highWatermark });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

/** Decodes {"n": number} and refuses anything else, like a real row decoder. */
const decode: RowDecoder = (m) => {
  const parsed = JSON.parse(m.value?.toString() ?? 'null') as { n?: unknown } | null;
  if (typeof parsed?.n !== 'number') throw new Error('no n');
  return [parsed.n, m.offset];
};

const batcher = (options: Partial<PartitionBatcherOptions> = {}) =>
  new PartitionBatcher({ table: 't', columns: ['n', '_offset'], topic: 'in', partition: 0, decode, maxRows: 3, maxDelayMs: 100, ...options });

describe('PartitionBatcher', () => {
  it('cuts a job every maxRows rows, with token and commit offset from its offsets', () => {
    const result = batcher().add(batch(range(10, 16)), 0);
    expect(result.skipped).toBe(0);
    expect(result.jobs.map((j) => [j.firstOffset, j.lastOffset, j.commitOffset, j.token, j.rows.length])).toEqual([
      ['10', '12', '13', 'in:0:10-12', 3],
      ['13', '15', '16', 'in:0:13-15', 3],
    ]);
    expect(result.jobs[0]!.columns).toEqual(['n', '_offset']);
    expect(result.jobs[0]!.rows).toEqual([
      [10, '10'],
      [11, '11'],
      [12, '12'],
    ]);
  });

  it('accumulates across batches and flushes by time', () => {
    const b = batcher();
    expect(b.nextFlushAt()).toBeUndefined();
    expect(b.add(batch(range(0, 0)), 1_000).jobs).toEqual([]);
    expect(b.add(batch(range(1, 1)), 1_050).jobs).toEqual([]);
    expect(b.nextFlushAt()).toBe(1_100);
    expect(b.flushDue(1_099)).toBeUndefined();
    const job = b.flushDue(1_100);
    expect(job).toMatchObject({ firstOffset: '0', lastOffset: '1', commitOffset: '2', token: 'in:0:0-1' });
    expect(b.nextFlushAt()).toBeUndefined();
    expect(b.flushDue(5_000)).toBeUndefined();
  });

  it('commits past transaction markers that followed its last message in the fetch, keeping the token', () => {
    const b = batcher({ maxRows: 10 });
    // Offsets 3 (commit marker) and 4..5 (an aborted transaction and its marker) are never handed out.
    b.add({ ...batch(range(0, 2)), nextOffset: '6' }, 0);
    expect(b.flush()).toMatchObject({ firstOffset: '0', lastOffset: '2', commitOffset: '6', token: 'in:0:0-2' });
    // A job cut before the fetch ended keeps its commit; the rest of the fetch carries the markers.
    const c = batcher({ maxRows: 2 });
    const { jobs } = c.add({ ...batch(range(10, 12)), nextOffset: '14' }, 0);
    expect(jobs.map((j) => j.commitOffset)).toEqual(['12']);
    expect(c.flush()).toMatchObject({ lastOffset: '12', commitOffset: '14' });
    // Without nextOffset (or with one not past the last message) it is lastOffset + 1.
    const d = batcher({ maxRows: 10 });
    d.add({ ...batch(range(0, 2)), nextOffset: '3' }, 0);
    d.add(batch(range(3, 4)), 0);
    expect(d.flush()).toMatchObject({ commitOffset: '5' });
  });

  it('gives the same tokens for the same messages, whatever the fetch boundaries', () => {
    const one = batcher({ maxRows: 4 }).add(batch(range(0, 7)), 0).jobs;
    const b = batcher({ maxRows: 4 });
    const two = [...b.add(batch(range(0, 2)), 0).jobs, ...b.add(batch(range(3, 5)), 0).jobs, ...b.add(batch(range(6, 7)), 0).jobs];
    expect(two.map((j) => j.token)).toEqual(one.map((j) => j.token));
  });

  it('skips offsets already in ClickHouse but still commits past them', () => {
    const b = batcher({ skipThrough: 12n, maxRows: 10 });
    expect(b.uncommittedRange(batch(range(10, 14)))).toEqual({ first: 10n, last: 12n });
    const result = b.add(batch(range(10, 14)), 0, new Set([10n, 11n, 12n]));
    expect(result).toEqual({ jobs: [], skipped: 3 });
    const job = b.flush();
    expect(job).toMatchObject({ firstOffset: '10', lastOffset: '14', commitOffset: '15' });
    expect(job!.rows).toEqual([
      [13, '13'],
      [14, '14'],
    ]);
    expect(b.uncommittedRange(batch(range(15, 16)))).toBeUndefined();
  });

  it('makes a commit-only job when every message was already stored', () => {
    const b = batcher({ skipThrough: 20n });
    expect(b.add(batch(range(10, 14)), 0, new Set([10n, 11n, 12n, 13n, 14n]))).toEqual({ jobs: [], skipped: 5 });
    expect(b.flush()).toMatchObject({ rows: [], rejects: [], commitOffset: '15' });
  });

  it('stores again what a crashed run left out of a partly landed insert, under a token of its own', () => {
    // The crashed run's insert of 10..15 landed one month's part (11, 13, 15), not the other's.
    const b = batcher({ skipThrough: 15n, maxRows: 10 });
    const result = b.add(batch(range(10, 17)), 0, new Set([11n, 13n, 15n]));
    expect(result).toEqual({ jobs: [], skipped: 3, recovered: 3 });
    const job = b.flush()!;
    expect(job.rows.map((row) => row[1])).toEqual(['10', '12', '14', '16', '17']);
    // Not the range's token: the crashed run's part carries that one and would make ClickHouse drop these.
    expect(job.token).toBe('in:0:10-17#5');
    expect(job.commitOffset).toBe('18');
    // Past the crashed run's offsets, jobs are whole again.
    b.add(batch(range(18, 19)), 0);
    expect(b.flush()!.token).toBe('in:0:18-19');
  });

  it('skips an undecodable message a previous run inserted past: it dead-lettered it then', () => {
    const b = batcher({ skipThrough: 11n, maxRows: 10 });
    const result = b.add(batch([message(10, 'not json'), message(11), message(12, 'not json')]), 0, new Set([11n]));
    expect(result).toEqual({ jobs: [], skipped: 2 });
    const job = b.flush()!;
    expect(job.rows).toEqual([]);
    expect(job.rejects.map((r) => r.message.offset)).toEqual(['12']);
  });

  it('refuses a batch reaching back to a previous run without knowing what of it is stored', () => {
    const b = batcher({ skipThrough: 12n });
    expect(() => b.add(batch(range(10, 14)), 0)).toThrow(/pass which of them ClickHouse holds/);
  });

  it('ignores messages re-delivered within the run', () => {
    const b = batcher({ maxRows: 10 });
    b.add(batch(range(0, 4)), 0);
    b.add(batch(range(3, 6)), 0);
    expect(b.flush()!.rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('returns undecodable messages as rejects with a reason, in the job that commits them', () => {
    const b = batcher({ maxRows: 10 });
    b.add(batch([message(0), message(1, 'not json'), message(2, null), message(3, '{"x":1}'), message(4)]), 0);
    const job = b.flush()!;
    expect(job.rows).toEqual([
      [0, '0'],
      [4, '4'],
    ]);
    expect(job.rejects.map((r) => [r.message.offset, r.reason])).toEqual([
      ['1', expect.stringContaining('JSON') as unknown],
      ['2', 'no n'],
      ['3', 'no n'],
    ]);
    expect(job.commitOffset).toBe('5');
  });

  it('counts rejects toward maxRows so a run of bad messages stays bounded', () => {
    const bad = Array.from({ length: 7 }, (_, i) => message(i, 'bad'));
    const jobs = batcher().add(batch(bad), 0).jobs;
    expect(jobs.map((j) => [j.rows.length, j.rejects.length])).toEqual([
      [0, 3],
      [0, 3],
    ]);
  });

  it('discards a skip offset at or above the high watermark (the topic was re-created)', () => {
    const b = batcher({ skipThrough: 500n, maxRows: 10 });
    const result = b.add(batch(range(0, 2), '3'), 0, new Set([0n, 1n, 2n]));
    expect(result).toEqual({ jobs: [], skipped: 0, discardedSkipThrough: 500n });
    expect(b.flush()!.rows).toHaveLength(3);
  });

  it('drops pending work on discard and refuses batches of another partition', () => {
    const b = batcher();
    b.add(batch(range(0, 1)), 0);
    b.discard();
    expect(b.flush()).toBeUndefined();
    expect(() => b.add({ ...batch(range(0, 0)), partition: 1 }, 0)).toThrow('batcher for in[0] got a batch of in[1]');
  });

  it('validates its limits', () => {
    expect(() => batcher({ maxRows: 0 })).toThrow(RangeError);
    expect(() => batcher({ maxDelayMs: 0 })).toThrow(RangeError);
  });
});
