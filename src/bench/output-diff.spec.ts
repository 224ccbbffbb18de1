import fc from 'fast-check';
import { diffValues } from './output-diff.js';

const bytes = (...texts: string[]) => texts.map((t) => Buffer.from(t, 'utf8'));

describe('diffValues', () => {
  it('finds equal multisets identical whatever their order', () => {
    const diff = diffValues(bytes('{"a":1}', '{"b":2}', '{"b":2}'), bytes('{"b":2}', '{"a":1}', '{"b":2}'));
    expect(diff).toMatchObject({ identical: true, left: 3, right: 3, onlyLeft: 0, onlyRight: 0 });
    expect(diff.examples).toEqual({ onlyLeft: [], onlyRight: [] });
  });

  it('counts values on one side only, byte for byte', () => {
    // The same JSON with one space more is a different record.
    const diff = diffValues(bytes('{"a":1}', '{"b":2}'), bytes('{"a": 1}', '{"b":2}', '{"c":3}'));
    expect(diff).toMatchObject({ identical: false, left: 2, right: 3, onlyLeft: 1, onlyRight: 2 });
    expect(diff.examples.onlyLeft).toEqual(['{"a":1}']);
    expect([...diff.examples.onlyRight].sort()).toEqual(['{"a": 1}', '{"c":3}']);
  });

  it('counts a duplicate as a difference', () => {
    expect(diffValues(bytes('x', 'x'), bytes('x'))).toMatchObject({ identical: false, onlyLeft: 1, onlyRight: 0 });
  });

  it('tells bytes apart that are not valid UTF-8', () => {
    expect(diffValues([Buffer.from([0xff, 0x00])], [Buffer.from([0xfe, 0x00])]).identical).toBe(false);
    expect(diffValues([Buffer.from([0xff, 0x00])], [Buffer.from([0xff, 0x00])]).identical).toBe(true);
  });

  it('compares views into a larger buffer by their own bytes', () => {
    const pool = Buffer.from('xxabcxx');
    expect(diffValues([pool.subarray(2, 5)], bytes('abc')).identical).toBe(true);
  });

  it('is identical exactly when the sorted values are equal, and symmetric', () => {
    const values = fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 8 });
    fc.assert(
      fc.property(values, values, (left, right) => {
        const diff = diffValues(left, right);
        const sorted = (xs: Uint8Array[]) => xs.map((x) => Buffer.from(x).toString('hex')).sort();
        expect(diff.identical).toBe(JSON.stringify(sorted(left)) === JSON.stringify(sorted(right)));
        const back = diffValues(right, left);
        expect([back.onlyLeft, back.onlyRight]).toEqual([diff.onlyRight, diff.onlyLeft]);
        expect(diff.left - diff.onlyLeft).toBe(diff.right - diff.onlyRight);
      }),
    );
  });
});
