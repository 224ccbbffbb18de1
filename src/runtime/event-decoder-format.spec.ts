import { VigilError } from '../errors/vigil-error.js';
import type { SourceFormat } from '../model/source-format.js';
import { templateSchema } from '../model/template/template.schema.js';
import { EventDecoder, pseudonym } from './event-decoder.js';

/** A feed that nests its record and names the reading by a code, as FHIR and Jetstream do. */
const nested: SourceFormat = {
  name: 'nested',
  description: 'test feed',
  normalize(document) {
    if (document.kind !== 'reading') throw new VigilError('VIGIL_EVENT_SCHEMA', `kind is "${String(document.kind)}", expected "reading"`);
    const body = document.body as Record<string, unknown>;
    return { id: body.ref, at: body.when, who: (body.subject as { ref: string }).ref, value: body.v, tags: body.tags };
  },
  complete(fields) {
    if (fields.tags === null) fields.tags = ['derived'];
  },
};

const template = templateSchema.parse({
  name: 'ward',
  version: 1,
  title: 'Ward',
  domain: 'custom',
  topics: { input: 'in', findings: 'f', alerts: 'a', deadLetter: 'in.dlq' },
  event: {
    format: 'nested',
    pseudonymKey: 'a-secret-of-sixteen-chars',
    id: 'obs_id',
    time: 'ts',
    key: 'patient_id',
    fields: {
      obs_id: { from: 'id', type: 'string', required: true },
      ts: { from: 'at', type: 'timestamp', required: true },
      patient_id: { from: 'who', type: 'string', required: true, pseudonymize: true },
      value: { type: 'number' },
      tags: { type: 'string[]' },
    },
  },
  detectors: [{ id: 'v', type: 'velocity' }],
  tables: { events: 'ward_events' },
});
const source = { topic: 'in', partition: 0, offset: '1' };
const decoder = new EventDecoder(template, nested);
const message = (document: unknown) => Buffer.from(JSON.stringify(document));

describe('EventDecoder with a source format', () => {
  it('reads the fields from the normalised document and lets the format complete them', () => {
    const event = decoder.decode(message({ kind: 'reading', body: { ref: 'o1', when: '2026-01-01T00:00:00Z', subject: { ref: 'Patient/123' }, v: 72 } }), source);
    expect(event.fields.value).toBe(72);
    expect(event.fields.tags).toEqual(['derived']);
    expect(event.time).toBe(Date.UTC(2026, 0, 1));
  });

  it('pseudonymises marked fields before anything reads them, the key included, stably under one key', () => {
    const read = (who: string) => decoder.decode(message({ kind: 'reading', body: { ref: 'o', when: 0, subject: { ref: who } } }), source);
    const a = read('Patient/123');
    expect(a.key).toBe(a.fields.patient_id);
    expect(a.key).not.toContain('123');
    expect(a.key).toMatch(/^ps_[A-Za-z0-9_-]{16}$/);
    expect(read('Patient/123').key).toBe(a.key);
    expect(read('Patient/124').key).not.toBe(a.key);
    expect(pseudonym('another-secret-of-16', 'Patient/123')).not.toBe(a.key);
  });

  it('dead-letters a document of another kind with the format reason', () => {
    expect(() => decoder.decode(message({ kind: 'patient' }), source)).toThrow('kind is "patient", expected "reading"');
  });

  it('turns a format tripping over an unforeseen document into a schema error, not a crash', () => {
    let error: unknown;
    try {
      decoder.decode(message({ kind: 'reading', body: { ref: 'o', when: 0 } }), source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VigilError);
    expect((error as VigilError).code).toBe('VIGIL_EVENT_SCHEMA');
    expect((error as VigilError).message).toMatch(/^format nested: /);
  });
});
