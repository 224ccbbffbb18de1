import { commitPosition } from './commit-position.js';

describe('commitPosition', () => {
  it('commits what was handled, but not past an alert a group still needs, and only forward', () => {
    expect(commitPosition(10n, undefined, undefined)).toBe(10n);
    expect(commitPosition(10n, 4n, undefined)).toBe(4n);
    expect(commitPosition(10n, 12n, undefined)).toBe(10n);
    expect(commitPosition(10n, 4n, 4n)).toBeUndefined();
    expect(commitPosition(10n, undefined, 10n)).toBeUndefined();
    expect(commitPosition(undefined, 4n, undefined)).toBeUndefined();
  });
});
