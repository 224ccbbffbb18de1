import type { OutgoingMessage } from './kafka.types.js';

/**
 * A send's messages cut into requests of at most `maxMessages` messages and about `maxBytes` of
 * keys, values and headers. The broker refuses a partition's record batch above message.max.bytes
 * (1 MiB by default), and one request may put all its messages in one partition (detect's
 * changelog records of ~1 KB each do), so counting messages alone is not enough. Order is kept;
 * a message bigger than `maxBytes` goes alone (and the broker judges it).
 */
export interface ChunkLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

export const SEND_LIMITS: ChunkLimits = { maxMessages: 1_000, maxBytes: 512 * 1024 };

export function* sendChunks(messages: readonly OutgoingMessage[], limits: ChunkLimits = SEND_LIMITS): Generator<readonly OutgoingMessage[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const size = messageBytes(messages[i]!);
    if (i > start && (i - start >= limits.maxMessages || bytes + size > limits.maxBytes)) {
      yield messages.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < messages.length) yield messages.slice(start);
}

function messageBytes(message: OutgoingMessage): number {
  let bytes = byteLength(message.key) + byteLength(message.value);
  if (message.headers) for (const [name, value] of Object.entries(message.headers)) bytes += name.length + byteLength(value);
  return bytes;
}

function byteLength(data: string | Buffer | null | undefined): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
