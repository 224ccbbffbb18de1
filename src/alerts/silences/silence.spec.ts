import { makeAlert } from '../testing/alert.fixture.js';
import { newSilence } from './silence-input.js';
import { silences, type Silence } from './silence.js';
import { SilenceStore } from './silence-store.js';

const AT = makeAlert().finding.time;

function silence(overrides: Partial<Silence> = {}): Silence {
  return { id: 's1', matchers: [{ name: 'entity', value: 'card-42', op: '=' }], starts_at: AT - 1000, ends_at: AT + 1000, created_by: '', comment: '', created_at: 0, ...overrides };
}

describe('silences', () => {
  it('silence alerts whose labels match every matcher and whose event time is in [starts_at, ends_at)', () => {
    expect(silences(silence(), makeAlert())).toBe(true);
    expect(silences(silence(), makeAlert({ entity: 'card-7' }))).toBe(false);
    expect(silences(silence({ starts_at: AT + 1 }), makeAlert())).toBe(false);
    expect(silences(silence({ starts_at: AT }), makeAlert())).toBe(true);
    expect(silences(silence({ ends_at: AT }), makeAlert())).toBe(false);
    const two = silence({ matchers: [{ name: 'entity', value: 'card-42', op: '=' }, { name: 'severity', value: 'critical', op: '=' }] });
    expect(silences(two, makeAlert({ severity: 'high' }))).toBe(false);
    expect(silences(two, makeAlert({ severity: 'critical' }))).toBe(true);
  });

  it.each([
    ['=', 'card_velocity', true],
    ['!=', 'card_velocity', false],
    ['=~', 'card_.*', true],
    ['=~', 'card', false],
    ['!~', 'terminal_.*', true],
  ] as const)('op %s %s → %s (regexes anchored)', (op, value, expected) => {
    expect(silences(silence({ matchers: [{ name: 'detector', value, op }] }), makeAlert())).toBe(expected);
  });

  it('validates API input with path-qualified problems', () => {
    expect(newSilence({ matchers: [], starts_at: 2, ends_at: 1 })).toEqual({
      ok: false,
      problems: ['matchers: a silence needs at least one matcher', 'ends_at: ends_at must be after starts_at'],
    });
    expect(newSilence({ matchers: [{ name: 'colour', value: 'x' }], starts_at: 1, ends_at: 2 })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^matchers\.0\.name: /)] });
    expect(newSilence({ matchers: [{ name: 'entity', value: '(', op: '=~' }], starts_at: 1, ends_at: 2 })).toEqual({ ok: false, problems: ['matchers.0.value: not a valid regular expression'] });
    const ok = newSilence({ matchers: [{ name: 'entity', value: 'card-42' }], starts_at: '2025-01-01T11:00:00Z', ends_at: '2025-01-01T13:00:00Z', comment: 'maintenance' }, 5);
    expect(ok).toEqual({
      ok: true,
      silence: { id: expect.stringMatching(/^sil_/), matchers: [{ name: 'entity', value: 'card-42', op: '=' }], starts_at: Date.UTC(2025, 0, 1, 11), ends_at: Date.UTC(2025, 0, 1, 13), created_by: '', comment: 'maintenance', created_at: 5 },
    });
  });

  it('the store follows the compacted topic: latest version per id, tombstones delete, bad records skipped', () => {
    const store = new SilenceStore();
    const message = (key: string, value: unknown) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });
    expect(store.apply(message('s1', silence({ ends_at: AT })))).toEqual({ ok: true });
    expect(store.silencing(makeAlert())).toBeUndefined();
    store.apply(message('s1', silence()));
    expect(store.silencing(makeAlert())?.id).toBe('s1');
    expect(store.apply(message('s2', '{oops'))).toEqual({ ok: false, reason: 'silence s2 is not JSON' });
    expect(store.apply(message('s3', silence()))).toEqual({ ok: false, reason: 'silence s3 does not fit the silence schema' });
    store.apply(message('s1', null));
    expect(store.list()).toEqual([]);
    expect(store.silencing(makeAlert())).toBeUndefined();
  });
});
