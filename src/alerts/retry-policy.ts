/**
 * How webhook outcomes are classified and how long to wait before the next attempt. Shared by
 * every notifier so reasons mean the same everywhere; the reasons are a closed list because they
 * are metric labels.
 */

import type { DeliveryReason } from '../model/delivery-record.js';

export interface Classification {
  readonly reason: DeliveryReason;
  readonly retryable: boolean;
}

/**
 * 4xx statuses that a later identical request can succeed on: 408 Request Timeout,
 * 425 Too Early, 429 Too Many Requests. Any other 4xx (including 409 Conflict: resending the same
 * signed message cannot resolve it) means the request itself is wrong, so it is not retried.
 */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * Classifies a final HTTP status. Redirects are not followed (a signed body must not be replayed
 * to another host), so a 3xx is a configuration problem: reported as `http_4xx`, not retried.
 */
export function classifyStatus(status: number): Classification {
  if (status >= 200 && status < 300) return { reason: 'ok', retryable: false };
  if (status === 429) return { reason: 'http_429', retryable: true };
  if (status >= 500) return { reason: 'http_5xx', retryable: true };
  return { reason: 'http_4xx', retryable: RETRYABLE_4XX.has(status) };
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Classifies a failure with no HTTP status. Both kinds are retryable: the receiver may recover. */
export function classifyError(error: unknown): Classification {
  // Duck-typed, not instanceof: errors from node internals may come from another realm (DOMException).
  const { name, code } = typeof error === 'object' && error !== null ? (error as { name?: unknown; code?: unknown }) : {};
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError.
  if (name === 'TimeoutError' || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    return { reason: 'timeout', retryable: true };
  }
  return { reason: 'network', retryable: true };
}

/** Statuses for which a `Retry-After` header is honoured. */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, into milliseconds from
 * `now`. A date in the past yields 0. Unparseable values yield undefined (fall back to backoff).
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // asctime dates carry no zone but are UTC by definition; Date.parse would read them as local.
  const dated = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(text) ? `${text} GMT` : text;
  if (!/[A-Za-z]{3}/.test(dated)) return undefined;
  const at = Date.parse(dated);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface BackoffPolicy {
  /** Upper bound of the first retry's delay. */
  readonly baseMs: number;
  /** No computed delay exceeds this. */
  readonly capMs: number;
  /**
   * Longest `Retry-After` obeyed; longer requests are clamped to it so one receiver cannot stall
   * its partition for hours. Default 60s.
   */
  readonly maxRetryAfterMs?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, maxRetryAfterMs: 60_000 };

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in
 * [0, min(cap, base * 2^retry)). `retry` is 0 for the wait before the second attempt.
 */
export function backoffDelay(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/** The wait before the next attempt: the receiver's `Retry-After` when it gave one, else backoff. */
export function retryDelay(
  policy: BackoffPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs ?? 60_000);
  return backoffDelay(policy, retry, random);
}
