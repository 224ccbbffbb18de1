import { isoUtcMillis, zonelessUtcMillis } from './utc-date-time.js';

/** What the general path (Date.parse of the ISO form) gives; NaN when it rejects the text. */
const general = (iso: string): number => Date.parse(iso);

describe('isoUtcMillis', () => {
  it('equals Date.parse on every valid day and time of leap and common years', () => {
    for (const year of [100, 400, 1600, 1900, 1969, 1970, 1999, 2000, 2018, 2020, 2100, 2400, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          for (const time of ['00:00:00', '12:34:56', '23:59:59', '23:59:59.999', '07:08:09.010']) {
            const iso = `${date}T${time}Z`;
            const fast = isoUtcMillis(iso);
            // Days past the month's end are left to Date.parse (V8 rolls them over): never guessed.
            if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) expect(fast).toBeUndefined();
            else expect(fast).toBe(general(iso));
          }
        }
      }
    }
  });

  it('leaves everything else to the general path', () => {
    for (const text of [
      '2018-04-01T00:00:31',
      '2018-04-01 00:00:31Z',
      '2018-04-01T00:00:31+00:00',
      '2018-04-01T00:00:31.5Z',
      '2018-04-01T00:00:31.12345Z',
      '2018-13-01T00:00:00Z',
      '2018-04-00T00:00:00Z',
      '2018-04-01T24:00:00Z',
      '2018-04-01T23:60:00Z',
      '2018-04-01T23:59:60Z',
      '0018-04-01T00:00:31Z',
      '2018-04-01T0a:00:31Z',
      '2018/04/01T00:00:31Z',
      '+02018-04-01T00:00:31Z',
      '',
    ]) {
      expect(isoUtcMillis(text)).toBeUndefined();
    }
  });
});

describe('zonelessUtcMillis', () => {
  it('reads a zone-less date and time as UTC, with a space or a T', () => {
    expect(zonelessUtcMillis('2018-04-01 00:00:31')).toBe(Date.UTC(2018, 3, 1, 0, 0, 31));
    expect(zonelessUtcMillis('2018-07-31T23:59:59.250')).toBe(Date.UTC(2018, 6, 31, 23, 59, 59, 250));
    expect(zonelessUtcMillis('2020-02-29 12:00:00')).toBe(general('2020-02-29T12:00:00Z'));
  });

  it('leaves zoned, odd-precision and impossible times to the general path', () => {
    for (const text of ['2018-04-01 00:00:31Z', '2018-04-01 00:00', '2018-04-01 00:00:31.5', '2018-02-29 00:00:00', '2018-04-01_00:00:31']) {
      expect(zonelessUtcMillis(text)).toBeUndefined();
    }
  });
});

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
