import { VigilError } from '../errors/vigil-error.js';
import { testTemplate } from '../sink/testing/test-template.js';
import type { HistoryRow } from './history-row.js';
import type { ReadLine } from './read-batch.js';
import { RowDecoder, RowEncoder } from './row-codec.js';

const template = testTemplate();

function row(n: number, overrides: Partial<Record<string, unknown>> = {}, fraud: boolean | undefined = n % 2 === 0): HistoryRow {
  return {
    event: {
      id: `tx-${n}`,
      time: Date.UTC(2018, 3, 1) + n,
      key: `card-${n % 3}`,
      fields: {
        tx_id: `tx-${n}`,
        card: `card-${n % 3}`,
        ts: Date.UTC(2018, 3, 1) + n,
        amount: n * 1.25,
        items: n,
        online: n % 2 === 1,
        settled_at: null,
        tags: n % 2 === 0 ? ['a', `b${n}`] : null,
        note: null,
        ...overrides,
      } as HistoryRow['event']['fields'],
      source: { topic: 'backtest', partition: 0, offset: String(n + 1) },
    },
    fraud,
    scenario: fraud ? '1' : '0',
  };
}

/** Every line of each batch through the encoder and back, in order. */
function roundTrip(batches: ReadLine[][], tableLimit?: number): ReadLine[][] {
  const encoder = new RowEncoder(template, tableLimit);
  const decoder = new RowDecoder(template);
  return batches.map((lines) => {
    // Through a real structured clone, as between threads.
    const decoded = decoder.decode(structuredClone(encoder.encode(lines)));
    return Array.from({ length: decoded.length }, (_, i) => decoded.read(i));
  });
}

describe('row codec', () => {
  it('gives back every row exactly (field order, nulls, booleans, lists, -0), skipped lines and errors in place', () => {
    const lines: ReadLine[] = [
      undefined,
      row(1),
      new VigilError('VIGIL_EVENT_SCHEMA', 'line 3: field amount expected number, got "x"'),
      row(2, { amount: -0, online: null, items: null, note: 'hello' }),
      undefined,
      new Error('not a VigilError'),
      row(3, {}, undefined),
    ];
    const [out] = roundTrip([lines]);
    expect(out).toHaveLength(lines.length);
    lines.forEach((line, i) => {
      const got = out![i];
      if (line instanceof Error) {
        expect(got).toBeInstanceOf(Error);
        expect((got as Error).message).toBe(line.message);
        expect((got as Partial<VigilError>).code).toBe((line as Partial<VigilError>).code);
        expect(got instanceof VigilError).toBe(line instanceof VigilError);
      } else {
        expect(got).toEqual(line);
        // Same key order everywhere, so anything serialising events sees the same JSON.
        expect(JSON.stringify(got)).toBe(JSON.stringify(line));
      }
    });
    expect(Object.is((out![3] as HistoryRow).event.fields.amount, -0)).toBe(true);
  });

  it('keeps its string table in step across batches, also when it is cleared', () => {
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 5 }, (_, i) => row(b * 5 + i) as ReadLine));
    for (const limit of [undefined, 8]) {
      expect(roundTrip(batches, limit)).toEqual(batches);
    }
  });

  it('sends columns whose values do not repeat as they are, from the batch after it sees that', () => {
    const batches = Array.from({ length: 3 }, (_, b) => Array.from({ length: 2000 }, (_, i) => row(b * 2000 + i) as ReadLine));
    const encoder = new RowEncoder(template);
    const decoder = new RowDecoder(template);
    const encoded = batches.map((lines) => encoder.encode(lines));
    // Ids and offsets are new on every row: in the table in the first batch, as they are after
    // (tx_id, equal to the id, points at the id's copy).
    expect(encoded.map((batch) => batch.unshared.length)).toEqual([0, 2 * 2000, 2 * 2000]);
    // Cards repeat: they crossed once, in the first batch.
    expect(encoded[1]!.added).toEqual([]);
    const decoded = encoded.map((batch) => decoder.decode(structuredClone(batch)));
    expect(decoded.map((batch) => Array.from({ length: batch.length }, (_, i) => batch.read(i)))).toEqual(batches);
  });

  it('shares one string per value within a table generation (cheaper keyed-state lookups)', () => {
    const [out] = roundTrip([[row(0), row(3)]]);
    const [a, b] = out as HistoryRow[];
    expect(a!.event.key).toBe('card-0');
    expect(a!.event.key).toBe(b!.event.key);
    expect(a!.event.fields.card).toBe(a!.event.key);
  });
});
