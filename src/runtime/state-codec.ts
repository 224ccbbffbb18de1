/**
 * The binary encoding of detector state values in the changelog (format 1). Detectors store small
 * trees of numbers, strings, arrays and plain objects; JSON spent most of a record on digits and
 * punctuation and lost -0, NaN and ±Infinity on the way. Every value starts with FORMAT_1, a byte
 * that no JSON text starts with, so a reader tells it from the JSON of older changelogs by its
 * first byte (see `isBinaryValue`).
 *
 * One tag byte per value, then its payload:
 *   0x00 null   0x01 undefined   0x02 false   0x03 true
 *   0x04 float64 (8 bytes, little-endian): what no shorter form holds exactly (-0, NaN, ±Infinity too)
 *   0x05 n      a non-negative safe integer, varint
 *   0x06 n      a negative safe integer -n, varint
 *   0x07 m s    a decimal m / 10^s: m zigzag varint, s one byte (1..DECIMAL_MAX_SCALE), used only
 *               when that division gives the number back exactly
 *   0x08 n b    a string: n bytes of UTF-8
 *   0x09 n …    an array of n values
 *   0x0a n …    a plain object of n (string key, value) pairs, in insertion order
 *   0x40–0x7f   the integers 0–63
 * Varints are 7 bits a byte, least significant first, high bit set on all but the last byte.
 * Objects with a toJSON method (a Date) are stored as what it returns, as JSON.stringify would.
 */

export const FORMAT_1 = 0x01;

const NULL = 0x00;
const UNDEFINED = 0x01;
const FALSE = 0x02;
const TRUE = 0x03;
const FLOAT64 = 0x04;
const UINT = 0x05;
const NEG_INT = 0x06;
const DECIMAL = 0x07;
const STRING = 0x08;
const ARRAY = 0x09;
const OBJECT = 0x0a;
const SMALL_INT = 0x40;
const SMALL_INT_MAX = 63;
const DECIMAL_MAX_SCALE = 8;
/** Decimal mantissas stay below this, so m * 10^s and the zigzag stay exact in a double. */
const DECIMAL_MAX_MANTISSA = 2 ** 50;
const POWERS_OF_TEN = Array.from({ length: DECIMAL_MAX_SCALE + 1 }, (_, s) => 10 ** s);

/** True when `value` is a format-1 encoding rather than older JSON text. */
export function isBinaryValue(value: Buffer): boolean {
  return value.length > 0 && value[0] === FORMAT_1;
}

/** Bytes of each slab the encoder writes values into (a value larger than that gets its own). */
const SLAB_BYTES = 64 * 1024;

/**
 * Encodes state values (FORMAT_1 first). Values are written one after another into a slab and
 * handed out as views of it, not copied: a copy per record cost as much as encoding it. A slab
 * lives as long as any value cut from it (until the batch holding them is sent).
 */
export class StateEncoder {
  private buffer = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private at = 0;

  encode(value: unknown): Buffer {
    this.start = this.at;
    this.byte(FORMAT_1);
    this.value(value);
    return this.buffer.subarray(this.start, this.at);
  }

  /**
   * Encodes `[[a, b, value], …]` with string `a` and `b` (an entity record's store values), bytes
   * identical to `encode`. The pair's bytes are kept once per pair: the same few store names
   * open every record, and copying them costs less than encoding them again.
   */
  encodeTriples(triples: readonly (readonly [string, string, unknown])[]): Buffer {
    this.start = this.at;
    this.reserve(10);
    this.buffer[this.at++] = FORMAT_1;
    this.buffer[this.at++] = ARRAY;
    this.varint(triples.length);
    for (const [a, b, value] of triples) {
      const head = this.headOf(a, b);
      this.reserve(head.length);
      const buffer = this.buffer;
      let at = this.at;
      for (let i = 0; i < head.length; i++) buffer[at++] = head[i]!;
      this.at = at;
      this.value(value);
    }
    return this.buffer.subarray(this.start, this.at);
  }

  private readonly heads = new Map<string, Map<string, Uint8Array>>();

  /** ARRAY 3, a, b: encoded once per pair, in a buffer of its own. */
  private headOf(a: string, b: string): Uint8Array {
    let byB = this.heads.get(a);
    if (byB === undefined) this.heads.set(a, (byB = new Map()));
    let head = byB.get(b);
    if (head === undefined) {
      const scratch = new StateEncoder();
      scratch.encode([a, b]);
      const bytes = scratch.buffer.subarray(1, scratch.at);
      // The array's count byte (2) becomes 3: the value follows the pair.
      head = Uint8Array.from(bytes);
      head[1] = 3;
      byB.set(b, head);
    }
    return head;
  }

  private value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        return this.number(value);
      case 'string':
        return this.string(value);
      case 'boolean':
        return this.byte(value ? TRUE : FALSE);
      case 'undefined':
        return this.byte(UNDEFINED);
      case 'object':
        if (value === null) return this.byte(NULL);
        if (Array.isArray(value)) return this.array(value);
        return this.object(value as Record<string, unknown>);
      case 'bigint':
        throw new TypeError('a state value cannot hold a bigint');
      default:
        // A function or symbol: null in an array, as JSON.stringify writes it (objects skip them).
        return this.byte(NULL);
    }
  }

  private number(n: number): void {
    this.reserve(12);
    const buffer = this.buffer;
    if (Number.isSafeInteger(n) && !(n === 0 && Object.is(n, -0))) {
      if (n >= 0 && n <= SMALL_INT_MAX) {
        buffer[this.at++] = SMALL_INT + n;
        return;
      }
      buffer[this.at++] = n >= 0 ? UINT : NEG_INT;
      return this.varint(n >= 0 ? n : -n);
    }
    // -0 (the only zero left here) would come back as 0 from a decimal.
    if (n !== 0 && Number.isFinite(n) && Math.abs(n) < DECIMAL_MAX_MANTISSA) {
      for (let scale = 1; scale <= DECIMAL_MAX_SCALE; scale++) {
        const power = POWERS_OF_TEN[scale]!;
        const mantissa = Math.round(n * power);
        if (Math.abs(mantissa) >= DECIMAL_MAX_MANTISSA) break;
        if (mantissa / power === n) {
          buffer[this.at++] = DECIMAL;
          this.varint(mantissa >= 0 ? mantissa * 2 : -mantissa * 2 - 1);
          buffer[this.at++] = scale;
          return;
        }
      }
    }
    buffer[this.at++] = FLOAT64;
    this.at = buffer.writeDoubleLE(n, this.at);
  }

  private string(s: string): void {
    this.reserve(1 + 5 + s.length * 3);
    const buffer = this.buffer;
    buffer[this.at] = STRING;
    // Short ASCII strings (ids, store names) are copied by char code, undone at the first other
    // character; anything else goes through UTF-8.
    if (s.length < 0x80) {
      let at = this.at + 2;
      let i = 0;
      for (; i < s.length; i++) {
        const code = s.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[at++] = code;
      }
      if (i === s.length) {
        buffer[this.at + 1] = s.length;
        this.at = at;
        return;
      }
    }
    this.at++;
    this.varint(Buffer.byteLength(s, 'utf8'));
    // reserve() above counted 3 bytes a character and 5 for this length: no reserve in between.
    this.at += buffer.write(s, this.at, 'utf8');
  }

  private array(items: readonly unknown[]): void {
    this.reserve(10);
    this.buffer[this.at++] = ARRAY;
    this.varint(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // Most state is arrays of numbers: no detour through the type switch for them.
      if (typeof item === 'number') this.number(item);
      else this.value(item);
    }
  }

  private object(value: Record<string, unknown>): void {
    const json = (value as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return this.value((json as () => unknown).call(value));
    const keys = Object.keys(value).filter((key) => !skipped(value[key]));
    this.reserve(10);
    this.buffer[this.at++] = OBJECT;
    this.varint(keys.length);
    for (const key of keys) {
      this.string(key);
      this.value(value[key]);
    }
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buffer[this.at++] = b;
  }

  /**
   * A non-negative integer up to 2^53, in at most 8 bytes, which the caller reserved. `n & 0x7f`
   * is exact beyond 32 bits (ToInt32 keeps the low bits); the shift is a division, which is.
   */
  private varint(n: number): void {
    const buffer = this.buffer;
    let at = this.at;
    while (n >= 0x80) {
      const low = n & 0x7f;
      buffer[at++] = low | 0x80;
      n = (n - low) / 0x80;
    }
    buffer[at++] = n;
    this.at = at;
  }

  /** Room for `bytes` more: a full slab is left to the values cut from it, the value moves on. */
  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const written = this.at - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (written + bytes)));
    this.buffer.copy(next, 0, this.start, this.at);
    this.buffer = next;
    this.start = 0;
    this.at = written;
  }
}

/** Properties JSON.stringify leaves out of an object (undefined is kept here: it is state too). */
function skipped(value: unknown): boolean {
  return typeof value === 'function' || typeof value === 'symbol';
}

/** Decodes a format-1 value (as `StateEncoder.encode` made it, FORMAT_1 included). */
export function decodeStateValue(bytes: Buffer): unknown {
  if (!isBinaryValue(bytes)) throw new Error('not a binary state value (format byte missing)');
  const reader = new Reader(bytes);
  const value = reader.value();
  if (reader.at !== bytes.length) throw new Error(`binary state value has ${bytes.length - reader.at} bytes after its end`);
  return value;
}

class Reader {
  at = 1;

  constructor(private readonly bytes: Buffer) {}

  value(): unknown {
    const tag = this.byte();
    if (tag >= SMALL_INT) {
      if (tag > SMALL_INT + SMALL_INT_MAX) throw new Error(`unknown state value tag 0x${tag.toString(16)}`);
      return tag - SMALL_INT;
    }
    switch (tag) {
      case NULL:
        return null;
      case UNDEFINED:
        return undefined;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case FLOAT64: {
        this.need(8);
        const n = this.bytes.readDoubleLE(this.at);
        this.at += 8;
        return n;
      }
      case UINT:
        return this.varint();
      case NEG_INT:
        return -this.varint();
      case DECIMAL: {
        const zigzag = this.varint();
        const mantissa = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
        const scale = this.byte();
        if (scale < 1 || scale > DECIMAL_MAX_SCALE) throw new Error(`bad decimal scale ${scale}`);
        return mantissa / POWERS_OF_TEN[scale]!;
      }
      case STRING:
        return this.string();
      case ARRAY: {
        const length = this.varint();
        // Sized up front: grown by push, restored state would take twice the heap JSON.parse gives it.
        const items = new Array<unknown>(length);
        for (let i = 0; i < length; i++) items[i] = this.value();
        return items;
      }
      case OBJECT: {
        const length = this.varint();
        const out: Record<string, unknown> = {};
        for (let i = 0; i < length; i++) {
          if (this.byte() !== STRING) throw new Error('object key is not a string');
          const key = this.string();
          const value = this.value();
          // A key named __proto__ is a key of the object, as JSON.parse makes it, not its prototype.
          if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
          else out[key] = value;
        }
        return out;
      }
      default:
        throw new Error(`unknown state value tag 0x${tag.toString(16)}`);
    }
  }

  private string(): string {
    const length = this.varint();
    this.need(length);
    const s = this.bytes.toString('utf8', this.at, this.at + length);
    this.at += length;
    return s;
  }

  private byte(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  private varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error('varint too long');
    }
  }

  private need(bytes: number): void {
    if (this.at + bytes > this.bytes.length) throw new Error('binary state value ends early');
  }
}
