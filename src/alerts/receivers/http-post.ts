import { request, type Dispatcher } from 'undici';
import { describeError } from '../../errors/vigil-error.js';
import type { DeliveryOutcome } from '../../model/delivery-record.js';
import { classifyError, classifyStatus, honoursRetryAfter, parseRetryAfter } from '../retry-policy.js';
import type { Redactor } from './redactor.js';

export interface PostOptions {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Bounds the whole attempt: connect, headers and body. */
  readonly timeoutMs: number;
  /** Scrubs secrets from every error text before it leaves. */
  readonly redact: Redactor;
  readonly dispatcher?: Dispatcher;
}

/** How much of an error response body is read, and how much of it (after redaction) is quoted. */
const SNIPPET_READ_BYTES = 4096;
const SNIPPET_CHARS = 200;

/**
 * ONE HTTP POST as a delivery outcome, shared by every receiver type so HTTP outcomes are
 * classified the same everywhere (retry-policy.ts). Redirects are not followed. Never rejects
 * for delivery failures; every `error` text went through `redact`.
 */
export async function postOnce(options: PostOptions): Promise<DeliveryOutcome> {
  const { timeoutMs, redact } = options;
  const started = performance.now();
  const latency = (): number => Math.round((performance.now() - started) * 10) / 10;

  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: 'POST',
      body: options.body,
      headers: options.headers,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // headers/body timeouts are per phase and connect has its own; this bounds the total.
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    const { reason, retryable } = classifyError(error);
    const text = reason === 'timeout' ? `timed out after ${timeoutMs}ms (${errorCode(error)})` : transportError(error);
    return { ok: false, reason, retryable, latencyMs: latency(), error: redact(text) };
  }

  const status = response.statusCode;
  const { reason, retryable } = classifyStatus(status);
  if (reason === 'ok') {
    await discard(response.body);
    return { ok: true, reason, retryable, status, latencyMs: latency() };
  }
  const retryAfterMs = honoursRetryAfter(status) ? parseRetryAfter(response.headers['retry-after']) : undefined;
  const snippet = await readSnippet(response.body);
  return {
    ok: false,
    reason,
    retryable,
    status,
    latencyMs: latency(),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    // Redact before truncating, so a secret cut in half at the boundary cannot survive.
    error: snippet ? `HTTP ${status}: ${redact(snippet).slice(0, SNIPPET_CHARS)}` : `HTTP ${status}`,
  };
}

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

// Duck-typed, not instanceof: undici and AbortSignal errors may come from another realm.
function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: describeError(error) };
}

function errorCode(error: unknown): string {
  const { code, name } = asErrorLike(error);
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'Error';
}

function transportError(error: unknown): string {
  const { message, cause } = asErrorLike(error);
  const text = typeof message === 'string' ? message : describeError(error);
  const because = cause === undefined ? '' : ` (${describeError(cause)})`;
  return `${errorCode(error)}: ${text}${because}`;
}

async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump();
  } catch {
    // The status already decided the outcome; an unreadable 2xx body does not undo delivery.
  }
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= SNIPPET_READ_BYTES) break;
    }
  } catch {
    // Only a hint for humans; the status is the outcome.
  }
  return Buffer.concat(chunks)
    .subarray(0, SNIPPET_READ_BYTES)
    .toString('utf8')
    .replace(/\s+/g, ' ')
    .trim();
}
