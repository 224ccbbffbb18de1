/**
 * DateTime64(3, 'UTC') values for JSON row formats. The engine used here (chdb 3.4 / ClickHouse
 * 26.7) also accepts epoch-millisecond numbers and ISO strings, but a server's parsing of those
 * depends on its version and on `date_time_input_format` (a setting we must not rely on: in chdb
 * settings leak across calls). 'YYYY-MM-DD hh:mm:ss.sss' is read the same everywhere in basic mode,
 * and the UTC column timezone fixes its meaning.
 */

/** DateTime64's range: 1900-01-01 to 2299-12-31 (outside it ClickHouse saturates silently). */
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);

/** '000'..'999'. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/**
 * The last second formatted, 'YYYY-MM-DD hh:mm:ss.'. Rows of a batch are close in time (often
 * hundreds per second), and formatting the date was half the cost of building a row.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** Formats epoch milliseconds; throws RangeError for non-finite or out-of-range values. */
export function toDateTime64(ms: number): string {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new RangeError(`timestamp ${ms} is outside DateTime64 range (1900..2299)`);
  }
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    // toISOString is 'YYYY-MM-DDTHH:mm:ss.sssZ' for years 0..9999.
    cachedPrefix = new Date(second * 1000).toISOString().replace('T', ' ').slice(0, 20);
    cachedSecond = second;
  }
  return cachedPrefix + MILLIS[whole - second * 1000]!;
}

/** Parses what ClickHouse returns for a DateTime64(3, 'UTC') column back to epoch milliseconds. */
export function fromDateTime64(text: string): number {
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a DateTime64 value: ${JSON.stringify(text)}`);
  return ms;
}
