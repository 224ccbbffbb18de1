import type { IncomingMessage } from '../../kafka/kafka.types.js';

/**
 * Framing of raw Kafka values for the staging insert (chdb's raw insert takes TabSeparated, not
 * JSONAsString): one line per message, `value \t partition \t offset \t timestamp`. A value is
 * copied byte for byte, so it must hold none of the bytes TabSeparated reads specially (backslash,
 * tab, newline) nor a carriage return; such a message (JSON escapes, pretty-printed whitespace) is
 * left to the JS path by `framable`, which costs a few native byte searches, no parse.
 */

const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** True when the message's value can be staged as it is. */
export function framable(message: IncomingMessage): boolean {
  const value = message.value;
  if (value === null || value.length === 0 || !Number.isSafeInteger(message.timestamp)) return false;
  return value.indexOf(BACKSLASH) < 0 && value.indexOf(TAB) < 0 && value.indexOf(NEWLINE) < 0 && value.indexOf(RETURN) < 0;
}

/** The TSV payload of framable messages (see above). */
export function frameMessages(messages: readonly IncomingMessage[]): Buffer {
  let size = 0;
  for (const message of messages) size += message.value!.length + 64;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const message of messages) {
    at += message.value!.copy(out, at);
    at += out.write(`\t${message.partition}\t${message.offset}\t${message.timestamp}\n`, at, 'latin1');
  }
  return out.subarray(0, at);
}
