import type { ErrorCode } from '../errors/vigil-error.js';
import type { IncomingMessage, OutgoingMessage } from './kafka.types.js';

/** Header names on dead-lettered messages; documented in the README, stable across versions. */
export const DLQ_HEADERS = {
  code: 'vigil-error-code',
  reason: 'vigil-error-reason',
  detector: 'vigil-detector',
  topic: 'vigil-source-topic',
  partition: 'vigil-source-partition',
  offset: 'vigil-source-offset',
  at: 'vigil-dead-lettered-at',
} as const;

/** The original bytes and key, untouched, with why and where from in headers, so a replay is exact. */
export function deadLetter(
  topic: string,
  message: IncomingMessage,
  failure: { code: ErrorCode; reason: string; detector?: string; extra?: Readonly<Record<string, string>> },
  now: number,
): OutgoingMessage {
  const headers: Record<string, string> = {
    ...withSource(message),
    [DLQ_HEADERS.code]: failure.code,
    [DLQ_HEADERS.reason]: failure.reason.slice(0, 1000),
    [DLQ_HEADERS.at]: new Date(now).toISOString(),
  };
  if (failure.detector) headers[DLQ_HEADERS.detector] = failure.detector;
  for (const [name, value] of Object.entries(failure.extra ?? {})) headers[`vigil-${name}`] = value;
  return { topic, key: message.key, value: message.value ?? Buffer.alloc(0), headers };
}

/** The message's own headers plus where it came from, for anything Vigil re-routes (DLQ, late). */
export function withSource(message: IncomingMessage): Record<string, string> {
  return {
    ...message.headers,
    [DLQ_HEADERS.topic]: message.topic,
    [DLQ_HEADERS.partition]: String(message.partition),
    [DLQ_HEADERS.offset]: message.offset,
  };
}
