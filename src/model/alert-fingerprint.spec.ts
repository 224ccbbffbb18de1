import { createHash } from 'node:crypto';
import { fingerprint } from './alert-fingerprint.js';

describe('fingerprint', () => {
  it('is 16 hex characters of sha256 and stable across releases', () => {
    const expected = createHash('sha256').update('["finance","card_velocity","card-42"]').digest('hex').slice(0, 16);
    expect(fingerprint('finance', 'card_velocity', 'card-42')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs when any part differs, including where the parts are split', () => {
    const all = [
      fingerprint('finance', 'card_velocity', 'card-42'),
      fingerprint('finance', 'card_velocity', 'card-43'),
      fingerprint('finance', 'geo_jump', 'card-42'),
      fingerprint('health', 'card_velocity', 'card-42'),
      fingerprint('a', 'b.c', 'd'),
      fingerprint('a.b', 'c', 'd'),
    ];
    expect(new Set(all).size).toBe(all.length);
  });
});
