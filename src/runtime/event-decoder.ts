import { createHmac } from 'node:crypto';
import { VigilError } from '../errors/vigil-error.js';
import type { FieldSpec, Template } from '../model/template/template.schema.js';
import type { EventSource, FieldValue, VigilEvent } from '../model/records.js';
import { JSON_FORMAT, type SourceFormat } from '../model/source-format.js';
import { readPath } from './read-path.js';
import { isoUtcMillis } from './utc-date-time.js';

/** A numeric timestamp below this is epoch seconds, at or above it epoch ms (1e11 s is in year 5138). */
export const EPOCH_SECONDS_BELOW = 1e11;

/**
 * Turns a raw Kafka value into a VigilEvent: JSON decode, the source format's normalisation, then
 * every canonical field read from its `from` path and checked against its type, pseudonymised
 * where the template says so, and completed by the format. Failures are VigilErrors with
 * VIGIL_EVENT_DECODE (not JSON) or VIGIL_EVENT_SCHEMA (wrong shape) and a reason fit for a
 * dead-letter header. Decoding is pure, so detect, sink and backtest agree on every event.
 */
export class EventDecoder {
  private readonly fields: readonly (readonly [string, FieldSpec, readonly string[]])[];
  private readonly pseudonymize: readonly string[];
  /**
   * Every canonical field, null, in the template's order: each event's fields start as a copy of
   * it, which takes the object's final shape at once instead of growing it field by field.
   */
  private readonly blank: Record<string, FieldValue>;

  /** `format` is the loaded template's (LoadedTemplate.format); plain JSON when absent. */
  constructor(
    private readonly template: Template,
    private readonly format: SourceFormat = JSON_FORMAT,
  ) {
    this.fields = Object.entries(template.event.fields).map(([name, spec]) => [name, spec, (spec.from ?? name).split('.')] as const);
    this.blank = {};
    for (const [name] of this.fields) this.blank[name] = null;
    this.pseudonymize = Object.entries(template.event.fields)
      .filter(([, spec]) => spec.pseudonymize)
      .map(([name]) => name);
    if (this.pseudonymize.length > 0 && template.event.pseudonymKey === undefined) {
      throw new VigilError('VIGIL_TEMPLATE_INVALID', `event.pseudonymKey is required: fields ${this.pseudonymize.join(', ')} are marked pseudonymize`);
    }
  }

  decode(value: Buffer | string | null, source: EventSource): VigilEvent {
    if (value === null || value.length === 0) throw new VigilError('VIGIL_EVENT_DECODE', 'empty message value');
    let document: unknown;
    try {
      document = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
    } catch (error) {
      throw new VigilError('VIGIL_EVENT_DECODE', `value is not JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new VigilError('VIGIL_EVENT_DECODE', 'value is not a JSON object');
    }
    return this.fromObject(document as Record<string, unknown>, source);
  }

  fromObject(message: Record<string, unknown>, source: EventSource): VigilEvent {
    const document = this.format === JSON_FORMAT ? message : this.formatStep(() => this.format.normalize(message));
    const fields: Record<string, FieldValue> = { ...this.blank };
    for (const [name, spec, path] of this.fields) {
      const raw = readPath(document, path);
      if (raw === undefined || raw === null || raw === '') {
        if (spec.required) throw schemaError(name, spec, 'is required');
        fields[name] = null;
        continue;
      }
      fields[name] = coerce(name, spec, raw);
    }
    for (const name of this.pseudonymize) {
      const value = fields[name];
      if (typeof value === 'string') fields[name] = pseudonym(this.template.event.pseudonymKey!, value);
    }
    if (this.format.complete !== undefined) this.formatStep(() => this.format.complete!(fields));
    const { time, key, id } = this.template.event;
    const eventTime = fields[time];
    if (typeof eventTime !== 'number') throw schemaError(time, this.template.event.fields[time]!, 'is required (event time)');
    // Judged against the message's own timestamp, not the wall clock: detect and the sink decode
    // the same message at different moments and must agree. Kafka's -1 (and 0) mean "none".
    const skew = this.template.event.maxFutureSkew;
    if (source.timestamp !== undefined && source.timestamp > 0 && eventTime > source.timestamp + skew) {
      throw schemaError(time, this.template.event.fields[time]!, `is ${iso(eventTime)}, more than event.maxFutureSkew (${skew} ms) after the message's timestamp ${iso(source.timestamp)}`);
    }
    const keyValue = fields[key];
    if (keyValue === null || keyValue === undefined) throw schemaError(key, this.template.event.fields[key]!, 'is required (event key)');
    const idValue = id === undefined ? null : fields[id];
    return {
      id: idValue === null || idValue === undefined ? `${source.topic}-${source.partition}-${source.offset}` : String(idValue),
      time: eventTime,
      key: String(keyValue),
      fields,
      source,
    };
  }

  /** A format that trips over a document it did not foresee dead-letters it, never stops the stage. */
  private formatStep<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof VigilError) throw error;
      throw new VigilError('VIGIL_EVENT_SCHEMA', `format ${this.format.name}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * A keyed hash: stable under one key (so a patient's readings still meet in one keyed state and
 * one dashboard row), not reversible without it. 96 bits keep collisions out of reach for any ward.
 */
export function pseudonym(key: string, value: string): string {
  return `ps_${createHmac('sha256', key).update(value).digest('base64url').slice(0, 16)}`;
}

function coerce(name: string, spec: FieldSpec, raw: unknown): FieldValue {
  switch (spec.type) {
    case 'string':
      // Ids often arrive as numbers; they are still identifiers.
      if (typeof raw === 'string') return wellFormed(raw);
      if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
      throw schemaError(name, spec, `expected string, got ${describe(raw)}`);
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw schemaError(name, spec, `expected number, got ${describe(raw)}`);
    }
    case 'integer': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
      throw schemaError(name, spec, `expected integer, got ${describe(raw)}`);
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      throw schemaError(name, spec, `expected boolean, got ${describe(raw)}`);
    case 'timestamp':
      return parseTimestamp(name, spec, raw);
    case 'string[]':
      if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw.map(wellFormed);
      throw schemaError(name, spec, `expected array of strings, got ${describe(raw)}`);
  }
}

/**
 * A lone surrogate (JSON allows the escape "\ud800") becomes U+FFFD, as an invalid UTF-8 byte does:
 * ClickHouse refuses the escape, so a row holding one could never be stored.
 */
function wellFormed(value: string): string {
  return value.isWellFormed() ? value : value.toWellFormed();
}

/** Epoch milliseconds, epoch seconds (< 1e11), or an ISO-8601 string with a zone. */
function parseTimestamp(name: string, spec: FieldSpec, raw: unknown): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw < EPOCH_SECONDS_BELOW ? Math.round(raw * 1000) : Math.round(raw);
  if (typeof raw === 'string') {
    const iso = isoUtcMillis(raw);
    if (iso !== undefined) return iso;
    if (/^\d+(\.\d+)?$/.test(raw)) return parseTimestamp(name, spec, Number(raw));
    const ms = Date.parse(raw);
    if (!Number.isNaN(ms) && /(Z|[+-]\d{2}:?\d{2})$/i.test(raw.trim())) return ms;
  }
  throw schemaError(name, spec, `expected timestamp (epoch ms or ISO-8601 with zone), got ${describe(raw)}`);
}

/** ISO-8601 where Date can show it (years up to 275760), else the number. */
function iso(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
}

function describe(raw: unknown): string {
  if (Array.isArray(raw)) return 'array';
  if (typeof raw === 'string') return `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"`;
  if (typeof raw === 'object' && raw !== null) return 'object';
  return String(raw);
}

function schemaError(name: string, spec: FieldSpec, problem: string): VigilError {
  const from = spec.from && spec.from !== name ? ` (from "${spec.from}")` : '';
  return new VigilError('VIGIL_EVENT_SCHEMA', `field ${name}${from} ${problem}`);
}
