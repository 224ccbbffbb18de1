import { internalized, internalizeStrings } from './internalized.js';

describe('internalized', () => {
  it('keeps the text of every name, index-like ones included', () => {
    const sliced = 'xx_amount_xx'.slice(3, 9);
    expect(internalized(sliced)).toBe('amount');
    expect(internalized('0')).toBe('0');
    expect(internalized('')).toBe('');
  });

  it('copies parsed data with its strings, numbers, nulls and nesting as they were', () => {
    const data = { a: 'x', b: [1, 'y', null, { c: true, d: 'z' }], e: { f: 2.5 } };
    expect(internalizeStrings(data)).toEqual(data);
  });
});
