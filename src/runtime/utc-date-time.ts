/**
 * Fast paths for the two timestamp layouts that make up nearly every event: ISO-8601 in UTC
 * (`2018-04-01T00:00:31Z`, `…31.250Z`, what JSON producers write) and a zone-less date and time
 * known to be UTC (`2018-04-01 00:00:31`, history files). Read by character codes, they cost a
 * fraction of `Date.parse` and the regular expressions around it, which showed in replay profiles.
 *
 * Only unambiguous input is accepted: a valid calendar date (day within its month), hours 00–23,
 * a year of at least 100 (Date.UTC maps 0–99 to 1900–1999) and no or exactly three fraction digits.
 * For those the result equals `Date.parse` of the ISO form; anything else returns undefined and is
 * left to the general path, so what is accepted, rejected or rolled over never changes.
 */

/** `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`: epoch ms, or undefined. */
export function isoUtcMillis(text: string): number | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== Z || text.charCodeAt(10) !== T) return undefined;
  return dateTimeMillis(text, length - 1);
}

/** `YYYY-MM-DD HH:MM:SS` (or with `T`), optionally `.sss`, read as UTC: epoch ms, or undefined. */
export function zonelessUtcMillis(text: string): number | undefined {
  const length = text.length;
  if (length !== 19 && length !== 23) return undefined;
  const separator = text.charCodeAt(10);
  if (separator !== T && separator !== SPACE) return undefined;
  return dateTimeMillis(text, length);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZERO = 48;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const SPACE = 32;
const T = 84;
const Z = 90;

/** The date and time in text[0, end): 19 characters, or 23 with `.sss`. */
function dateTimeMillis(text: string, end: number): number | undefined {
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let millis = 0;
  if (end === 23) {
    if (text.charCodeAt(19) !== DOT) return undefined;
    millis = digits(text, 20, 3);
  } else if (end !== 19) {
    return undefined;
  }
  // digits() gives −1 for a non-digit, which every lower bound below rejects.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return undefined;
  return daysFromCivil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second * SECOND + millis;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in integer
 * arithmetic: exact, and cheaper than a call into Date.UTC.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The decimal number in text[from, from + count); −1 if any character is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
