import fc from 'fast-check';
import type { EventGenerator } from '../simulate/generator.js';
import type { FieldSpec, Template } from '../model/template/template.schema.js';

/** One generated message, and where Vigil must put it. */
export interface HostileEvent {
  readonly key: string;
  readonly value: Buffer;
  /** `dead-letter`: malformed for the template; `process`: valid, however odd (it may be late). */
  readonly expect: 'dead-letter' | 'process';
  /** What was done to it, for the report. */
  readonly mutation: string;
}

type Json = Record<string, unknown>;

/** Mutations that make an event malformed for its template, whatever else it holds. */
const BAD = ['truncated', 'garbage', 'non-finite-token', 'not-an-object', 'missing-required', 'wrong-type', 'deeply-nested-root', 'far-future', 'empty'] as const;
/** Oddities a valid event may carry: Vigil must process it like any other. */
const ODD = ['plain', 'prototype-keys', 'unicode', 'huge-extra-string', 'huge-extra-array', 'deep-extra', 'negative-zero', 'epoch-1970', 'duplicate-id', 'numbers-as-strings'] as const;

/** Strings that break naive handling: lone surrogates, BOM, zero-width, RTL, NUL, emoji, combining marks. */
const UNICODE_EDGES = ['\uD800', '\uDFFF', '\uFEFF', '\u200B\u200D', '\u202Eevil', '\u0000', '🧨💳', 'e\u0301\u0301\u0301', '\\u0000', '"\'`<script>'];

/**
 * Builds `count` messages for a template: valid events from its own simulator, each either made
 * malformed or dressed with oddities, chosen by fast-check from `seed`. Every event's fate is
 * known by construction, so a run can check that each landed where it must.
 */
export function hostileEvents(template: Template, generator: EventGenerator, options: { count: number; seed: number; startMs: number }): HostileEvent[] {
  const required = Object.entries(template.event.fields).filter(([, spec]) => spec.required);
  const plan = fc.sample(
    fc.record({
      bad: fc.boolean(),
      badKind: fc.constantFrom(...BAD),
      oddKind: fc.constantFrom(...ODD),
      field: fc.nat({ max: required.length - 1 }),
      cut: fc.double({ min: 0, max: 1, noNaN: true }),
      pick: fc.nat(),
      text: fc.string({ unit: 'binary', maxLength: 64 }),
      huge: fc.integer({ min: 0, max: 200 }),
    }),
    { seed: options.seed, numRuns: options.count },
  );
  const ids: string[] = [];
  return plan.map((p, i) => {
    const event = generator.next(options.startMs + i * 250);
    const base = structuredClone(event.value) as Json;
    const key = `fz-${i}`;
    if (p.bad) {
      const [name, spec] = required[p.field]!;
      return { key, expect: 'dead-letter', mutation: p.badKind, value: malformed(p.badKind, base, name, spec, p.cut, p.text) };
    }
    const id = template.event.id === undefined ? undefined : fromPath(template, template.event.id);
    if (id) ids.push(String(readPath(base, id)));
    return { key, expect: 'process', mutation: p.oddKind, value: Buffer.from(odd(p.oddKind, base, template, ids, p.pick, p.huge, p.text), 'utf8') };
  });
}

function malformed(kind: (typeof BAD)[number], event: Json, field: string, spec: FieldSpec, cut: number, text: string): Buffer {
  const json = JSON.stringify(event);
  const path = (spec.from ?? field).split('.');
  switch (kind) {
    case 'truncated':
      // Any proper prefix of a JSON object's text is not JSON.
      return Buffer.from(json.slice(0, Math.floor(cut * (json.length - 1))), 'utf8');
    case 'garbage':
      return Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(text, 'utf8')]);
    case 'non-finite-token':
      return Buffer.from(json.replace(/^\{/, '{"_n": NaN, "_i": Infinity, '), 'utf8');
    case 'not-an-object':
      return Buffer.from(JSON.stringify([event]), 'utf8');
    case 'missing-required':
      setPath(event, path, undefined);
      return Buffer.from(JSON.stringify(event), 'utf8');
    case 'wrong-type':
      setPath(event, path, wrongValue(spec, text));
      return Buffer.from(JSON.stringify(event), 'utf8');
    case 'deeply-nested-root':
      return Buffer.from(`${'['.repeat(50_000)}${json}${']'.repeat(50_000)}`, 'utf8');
    case 'far-future':
      if (spec.type !== 'timestamp') setPath(event, path, { nested: true });
      else setPath(event, path, '9999-12-31T23:59:59.999Z');
      return Buffer.from(JSON.stringify(event), 'utf8');
    case 'empty':
      return Buffer.alloc(0);
  }
}

/** A value the field's type can never accept (numbers pass as string ids, so never a number there). */
function wrongValue(spec: FieldSpec, text: string): unknown {
  switch (spec.type) {
    case 'string':
      return [{ __proto__: { polluted: true } }, text];
    case 'number':
    case 'integer':
      return 'x'.repeat(300_000);
    case 'boolean':
      return 'true';
    case 'timestamp':
      return { $date: text };
    case 'string[]':
      return [1, 2, 3];
  }
}

function odd(kind: (typeof ODD)[number], event: Json, template: Template, ids: readonly string[], pick: number, huge: number, text: string): string {
  switch (kind) {
    case 'plain':
      return JSON.stringify(event);
    case 'prototype-keys':
      // As JSON text: JSON.parse makes "__proto__" an own key, which a careless merge turns into pollution.
      return JSON.stringify(event).replace(/^\{/, '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ');
    case 'unicode':
      event._note = `${UNICODE_EDGES[pick % UNICODE_EDGES.length]}${text}`;
      return JSON.stringify(event);
    case 'huge-extra-string':
      event._blob = 'y'.repeat(huge * 1024);
      return JSON.stringify(event);
    case 'huge-extra-array':
      event._list = Array.from({ length: huge * 100 }, (_, i) => i);
      return JSON.stringify(event);
    case 'deep-extra':
      return JSON.stringify(event).replace(/^\{/, `{"_deep": ${'['.repeat(5_000)}${']'.repeat(5_000)}, `);
    case 'negative-zero':
      return JSON.stringify(event).replace(/^\{/, '{"_z": -0, "_e": -0.0e0, ');
    case 'epoch-1970': {
      setPath(event, fromPath(template, template.event.time), '1970-01-01T00:00:00.000Z');
      return JSON.stringify(event);
    }
    case 'duplicate-id': {
      const id = template.event.id === undefined ? undefined : fromPath(template, template.event.id);
      if (id && ids.length > 0) setPath(event, id, ids[pick % ids.length]);
      return JSON.stringify(event);
    }
    case 'numbers-as-strings': {
      for (const [name, spec] of Object.entries(template.event.fields)) {
        const path = (spec.from ?? name).split('.');
        const value = readPath(event, path);
        if ((spec.type === 'number' || spec.type === 'integer') && typeof value === 'number') setPath(event, path, String(value));
      }
      return JSON.stringify(event);
    }
  }
}

function fromPath(template: Template, field: string): string[] {
  const spec = template.event.fields[field]!;
  return (spec.from ?? field).split('.');
}

function readPath(document: Json, path: readonly string[]): unknown {
  let at: unknown = document;
  for (const part of path) at = typeof at === 'object' && at !== null ? (at as Json)[part] : undefined;
  return at;
}

function setPath(document: Json, path: readonly string[], value: unknown): void {
  let at = document;
  for (const part of path.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Json;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}
