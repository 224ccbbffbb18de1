import fc from 'fast-check';
import { decodeStateValue, FORMAT_1, isBinaryValue, StateEncoder } from './state-codec.js';

/** Numbers as detectors hold them: counts, epoch milliseconds, sums, decimals, and the odd ones. */
const stateNumber = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, -(2 ** 53), 2 ** 31, -(2 ** 31), 63, 64, 0.1, 1e-7, 1e21, 1e308, 5e-324),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).chain((cents) => fc.constantFrom(cents / 100, cents / 1000, cents / 100_000)),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity),
);

/** Strings: ids, store names, anything in Unicode (lone surrogates included), long ones too. */
const stateString = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', 'card_0000001_1', 'é', '\u0000', '__proto__'));

const stateValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stateNumber,
    stateString,
    fc.constantFrom(null, true, false, undefined),
    fc.array(tie('value'), { maxLength: 8 }),
    fc.dictionary(stateString, tie('value'), { maxKeys: 6, noNullPrototype: true }),
  ),
})).value;

describe('state value encoding', () => {
  const encoder = new StateEncoder();

  it('gives back every value detectors store, bit for bit', () => {
    fc.assert(
      fc.property(stateValue, (value) => {
        const bytes = encoder.encode(value);
        expect(isBinaryValue(bytes)).toBe(true);
        // toStrictEqual tells -0 from 0, NaN from null and undefined from a missing key.
        expect(decodeStateValue(bytes)).toStrictEqual(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps earlier values intact while encoding more (values are views of a shared slab)', () => {
    fc.assert(
      fc.property(fc.array(stateValue, { minLength: 1, maxLength: 50 }), (values) => {
        const encoded = values.map((value) => encoder.encode(value));
        encoded.forEach((bytes, i) => expect(decodeStateValue(bytes)).toStrictEqual(values[i]));
      }),
      { numRuns: 200 },
    );
  });

  it('encodes store triples to the same bytes as any array, whatever pairs came before', () => {
    const pair = fc.tuple(fc.constantFrom('card_velocity', 'd', 'é'), fc.constantFrom('window', 's', ''));
    const triples = fc.array(fc.tuple(pair, stateValue).map(([[a, b], value]) => [a, b, value] as const), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(triples, { minLength: 1, maxLength: 5 }), (records) => {
        for (const record of records) {
          const fast = Buffer.from(encoder.encodeTriples(record));
          expect(fast).toEqual(Buffer.from(new StateEncoder().encode(record)));
          expect(decodeStateValue(fast)).toStrictEqual(record);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('encodes values larger than a slab', () => {
    const big = { samples: Array.from({ length: 20_000 }, (_, i) => i * 1.5), text: 'x'.repeat(100_000) };
    expect(decodeStateValue(encoder.encode(big))).toStrictEqual(big);
    expect(decodeStateValue(encoder.encode([1, 'after']))).toStrictEqual([1, 'after']);
  });

  it('is smaller than JSON for typical state', () => {
    const entity = [
      ['card_velocity', 'window', [0, 1796630400000, 1796630400000, 1, 14.72]],
      ['card_amount', 'baseline', [1, 14.72, 7.36, 14.72, 0]],
      ['impossible_travel', 'last_seen', [1796630400025, 48.77808, 2.26725]],
    ];
    expect(encoder.encode(entity).length).toBeLessThan(Buffer.byteLength(JSON.stringify(entity)) * 0.85);
  });

  it('stores what JSON.stringify stores for dates, functions and symbols', () => {
    const date = new Date(Date.UTC(2026, 0, 1));
    expect(decodeStateValue(encoder.encode({ at: date, f: () => 1, s: Symbol('x') }))).toStrictEqual({ at: '2026-01-01T00:00:00.000Z' });
    expect(decodeStateValue(encoder.encode([() => 1]))).toStrictEqual([null]);
    expect(() => encoder.encode([1n])).toThrow('bigint');
  });

  it('starts with its format byte, which no JSON text starts with', () => {
    expect(encoder.encode(1)[0]).toBe(FORMAT_1);
    expect(isBinaryValue(Buffer.from('[1,2]'))).toBe(false);
    expect(isBinaryValue(Buffer.alloc(0))).toBe(false);
  });

  it('rejects what it did not write', () => {
    expect(() => decodeStateValue(Buffer.from('[1]'))).toThrow('format byte missing');
    expect(() => decodeStateValue(Buffer.from([FORMAT_1, 0x09, 0x02, 0x41]))).toThrow('ends early');
    expect(() => decodeStateValue(Buffer.from([FORMAT_1, 0x41, 0x41]))).toThrow('1 bytes after its end');
    expect(() => decodeStateValue(Buffer.from([FORMAT_1, 0x20]))).toThrow('unknown state value tag 0x20');
    expect(() => decodeStateValue(Buffer.from([FORMAT_1, 0x07, 0x02, 0x09]))).toThrow('bad decimal scale 9');
  });
});
