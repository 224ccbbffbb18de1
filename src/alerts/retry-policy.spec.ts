import { errors } from 'undici';
import { backoffDelay, classifyError, classifyStatus, honoursRetryAfter, parseRetryAfter, retryDelay } from './retry-policy.js';
import { DELIVERY_REASONS } from '../model/delivery-record.js';

describe('classifyStatus', () => {
  it.each([
    [200, 'ok', false],
    [204, 'ok', false],
    [301, 'http_4xx', false],
    [400, 'http_4xx', false],
    [401, 'http_4xx', false],
    [404, 'http_4xx', false],
    [408, 'http_4xx', true],
    [409, 'http_4xx', false],
    [413, 'http_4xx', false],
    [425, 'http_4xx', true],
    [429, 'http_429', true],
    [500, 'http_5xx', true],
    [502, 'http_5xx', true],
    [503, 'http_5xx', true],
  ])('%i → %s (retryable: %s)', (status, reason, retryable) => {
    expect(classifyStatus(status)).toEqual({ reason, retryable });
  });
});

describe('classifyError', () => {
  it.each([
    ['AbortSignal.timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['headers timeout', new errors.HeadersTimeoutError()],
    ['body timeout', new errors.BodyTimeoutError()],
    ['connect timeout', new errors.ConnectTimeoutError()],
  ])('%s → timeout, retryable', (_case, error) => {
    expect(classifyError(error)).toEqual({ reason: 'timeout', retryable: true });
  });

  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['socket closed', new errors.SocketError('other side closed')],
    ['not even an Error', 'boom'],
  ])('%s → network, retryable', (_case, error) => {
    expect(classifyError(error)).toEqual({ reason: 'network', retryable: true });
  });

  it('only ever yields the fixed metric labels', () => {
    const reasons = [200, 302, 404, 429, 503].map((s) => classifyStatus(s).reason).concat(classifyError(null).reason);
    for (const reason of reasons) expect(DELIVERY_REASONS).toContain(reason);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 0); // 08:49:00 GMT, 37 s before the dates below

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['7', '9'], now)).toBe(7_000);
  });

  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['obsolete asctime (UTC without a zone)', 'Sun Nov  6 08:49:37 1994'],
  ])('reads an HTTP-date (%s) as the time until it', (_case, value) => {
    expect(parseRetryAfter(value, now)).toBe(37_000);
  });

  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '12 34'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('is honoured for 429 and 503 only', () => {
    expect([429, 503, 500, 502, 408].filter(honoursRetryAfter)).toEqual([429, 503]);
  });
});

describe('backoff', () => {
  const policy = { baseMs: 100, capMs: 1_000, maxRetryAfterMs: 5_000 };
  const almostOne = (): number => 0.999999;

  it('grows exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10, 5000].map((retry) => backoffDelay(policy, retry, almostOne))).toEqual([
      99, 199, 399, 799, 999, 999, 999,
    ]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(0);
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(200);
    const draws = Array.from({ length: 200 }, () => backoffDelay(policy, 3));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(800);
    expect(new Set(draws).size).toBeGreaterThan(50);
  });

  it("uses the receiver's Retry-After instead of backoff, clamped to maxRetryAfterMs", () => {
    expect(retryDelay(policy, 0, 3_000, almostOne)).toBe(3_000);
    expect(retryDelay(policy, 0, 0, almostOne)).toBe(0);
    expect(retryDelay(policy, 0, 3_600_000, almostOne)).toBe(5_000);
    expect(retryDelay(policy, 0, undefined, almostOne)).toBe(99);
  });
});
