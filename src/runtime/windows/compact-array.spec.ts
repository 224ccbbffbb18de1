import { dropAndOpen, replaceRange } from './compact-array.js';

describe('compact arrays', () => {
  it('replaces a range into an array of exactly the new length, leaving the input alone', () => {
    const state = [1, 2, 3, 4, 5];
    expect(replaceRange(state, 1, 2)).toEqual([1, 4, 5]);
    expect(replaceRange(state, 2, 0, [9, 9])).toEqual([1, 2, 9, 9, 3, 4, 5]);
    expect(replaceRange(state, 1, 1, [7.5])).toEqual([1, 7.5, 3, 4, 5]);
    expect(state).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops a range and opens a gap of zeros further on in one copy', () => {
    const state = [100.5, 1, 2, 3, 4, 5, 6];
    // Drop [1, 3), open 2 zeros before index 5.
    expect(dropAndOpen(state, 1, 3, 5, 2)).toEqual([100.5, 3, 4, 0, 0, 5, 6]);
    // Nothing dropped: the copy grows by the gap.
    expect(dropAndOpen(state, 1, 1, 7, 3)).toEqual([100.5, 1, 2, 3, 4, 5, 6, 0, 0, 0]);
    // More dropped than opened: the copy shrinks.
    expect(dropAndOpen(state, 1, 7, 7, 1)).toEqual([100.5, 0]);
    expect(state).toEqual([100.5, 1, 2, 3, 4, 5, 6]);
  });
});
