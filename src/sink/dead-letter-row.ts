import type { IncomingMessage } from '../kafka/kafka.types.js';
import { DLQ_HEADERS } from '../kafka/dead-letter.js';
import { toDateTime64 } from './datetime64.js';
import type { Row } from './row-mappers.js';

/**
 * A dead-letter topic's message as a `dead_letters` row (ddl/dead-letters.ddl.ts). Total: it never
 * throws, because a reject here could only be dead-lettered back onto the topic it came from (a
 * loop); a record without Vigil's headers is stored with what it has (empty reason, null source).
 * The value is cut to DEAD_LETTER_VALUE_BYTES so one huge record cannot bloat the table or an
 * insert; the topic keeps the whole record for replay.
 */

export const DEAD_LETTER_VALUE_BYTES = 16 * 1024;

export const DEAD_LETTER_COLUMNS = [
  'time',
  'template',
  'code',
  'reason',
  'detector',
  'source_topic',
  'source_partition',
  'source_offset',
  'key',
  'value',
  'value_bytes',
  'headers',
  '_topic',
  '_partition',
  '_offset',
] as const;

const UINT32_MAX = 2 ** 32 - 1;
const UINT64 = /^(0|[1-9][0-9]{0,19})$/;

/**
 * `withholdPayload`: the template pseudonymises identifiers, so the rejected message (which may
 * name a patient in the clear) is not copied into ClickHouse: key and value are stored empty, the
 * reason, source and size are kept, and the message itself stays on the dead-letter topic.
 */
export function deadLetterRow(template: string, message: IncomingMessage, options: { withholdPayload?: boolean } = {}): Row {
  const headers = message.headers;
  const value = message.value ?? Buffer.alloc(0);
  const withhold = options.withholdPayload === true;
  return [
    deadLetteredAt(headers[DLQ_HEADERS.at], message.timestamp),
    template,
    headers[DLQ_HEADERS.code] ?? '',
    headers[DLQ_HEADERS.reason] ?? '',
    headers[DLQ_HEADERS.detector] ?? '',
    headers[DLQ_HEADERS.topic] ?? '',
    sourcePartition(headers[DLQ_HEADERS.partition]),
    sourceOffset(headers[DLQ_HEADERS.offset]),
    withhold ? '' : (message.key?.toString('utf8') ?? ''),
    // Cutting may split a multi-byte character; the decoder turns the remnant into U+FFFD.
    withhold ? '' : value.subarray(0, DEAD_LETTER_VALUE_BYTES).toString('utf8'),
    value.length,
    headers,
    message.topic,
    message.partition,
    message.offset,
  ];
}

/** The header Vigil wrote when dead-lettering; else the message's own timestamp; else the epoch. */
function deadLetteredAt(header: string | undefined, timestamp: number): string {
  for (const ms of [header === undefined ? Number.NaN : Date.parse(header), timestamp]) {
    try {
      return toDateTime64(ms);
    } catch {
      // Not a usable time: try the next candidate.
    }
  }
  return toDateTime64(0);
}

function sourcePartition(text: string | undefined): number | null {
  const n = text === undefined || !/^[0-9]+$/.test(text) ? Number.NaN : Number(text);
  return Number.isSafeInteger(n) && n <= UINT32_MAX ? n : null;
}

/** Kept as text: UInt64 offsets exceed a JS number's exact range. */
function sourceOffset(text: string | undefined): string | null {
  return text !== undefined && UINT64.test(text) && BigInt(text) < 2n ** 64n ? text : null;
}
