import { type VigilError } from '../../../errors/vigil-error.js';
import { templateSchema } from '../../../model/template/template.schema.js';
import { EventDecoder } from '../../../runtime/event-decoder.js';
import { vitalsJsonFormat } from './vitals-json.format.js';

/** A user's own flat rows, mapped by `from` paths as the health README shows. */
const template = templateSchema.parse({
  name: 'ward_rows',
  version: 1,
  title: 'Ward rows',
  domain: 'health',
  topics: { input: 'rows', findings: 'f', alerts: 'a', deadLetter: 'rows.dlq' },
  event: {
    format: 'vitals-json',
    pseudonymKey: 'a-secret-of-sixteen-chars',
    id: 'obs_id',
    time: 'ts',
    key: 'patient_id',
    fields: {
      obs_id: { from: 'id', type: 'string' },
      ts: { from: 'taken_at', type: 'timestamp', required: true },
      patient_id: { from: 'mrn', type: 'string', required: true, pseudonymize: true },
      ward: { type: 'string' },
      parameter: { from: 'vital', type: 'string', required: true },
      value: { type: 'number' },
      value_text: { from: 'text', type: 'string' },
      unit: { type: 'string' },
      source: { type: 'string' },
    },
  },
  detectors: [{ id: 'v', type: 'velocity' }],
  tables: { events: 'ward_rows' },
});
const decoder = new EventDecoder(template, vitalsJsonFormat);
const row = (fields: Record<string, unknown>) => JSON.stringify({ id: 'r1', taken_at: '2026-12-07T08:00:00Z', mrn: 'MRN-0042', ward: '7A', source: 'manual', ...fields });
const decode = (fields: Record<string, unknown>) => decoder.decode(row(fields), { topic: 'rows', partition: 0, offset: '1' }).fields;

function reason(fields: Record<string, unknown>): string {
  try {
    decode(fields);
  } catch (error) {
    expect((error as VigilError).code).toBe('VIGIL_EVENT_SCHEMA');
    return (error as VigilError).message;
  }
  throw new Error('expected a dead letter');
}

describe('vitals-json', () => {
  it('converts °F to °C, reads a row without a unit in the canonical unit, and pseudonymises the patient', () => {
    expect(decode({ vital: 'temperature', value: 99.5, unit: '°F' })).toMatchObject({ parameter: 'temperature', value: 37.5, unit: 'Cel' });
    const pulse = decode({ vital: 'pulse', value: 88 });
    expect(pulse).toMatchObject({ parameter: 'pulse', value: 88, unit: '/min', ward: '7A', source: 'manual' });
    expect(pulse.patient_id).toMatch(/^ps_/);
  });

  it('reads consciousness from the text column and the SpO2 scale as 1|2', () => {
    expect(decode({ vital: 'consciousness', text: 'v' })).toMatchObject({ parameter: 'consciousness', value: null, value_text: 'V' });
    expect(decode({ vital: 'spo2_scale', value: 2 })).toMatchObject({ parameter: 'spo2_scale', value: 2, unit: null });
  });

  it('dead-letters an unknown parameter or unit, an implausible or missing value, a bad ACVPU letter', () => {
    expect(reason({ vital: 'weight', value: 70 })).toMatch(/^parameter "weight" is not one Vigil reads/);
    expect(reason({ vital: 'systolic_bp', value: 120, unit: 'psi' })).toMatch(/^unit "psi" is not a unit of systolic_bp/);
    expect(reason({ vital: 'spo2', value: 140 })).toBe('spo2: 140 is outside the plausible range 20–100 %');
    expect(reason({ vital: 'pulse' })).toBe('pulse observation has no value');
    expect(reason({ vital: 'consciousness', text: 'confused' })).toMatch(/^consciousness "confused" is not an ACVPU letter/);
    expect(reason({ vital: 'on_oxygen', value: 3 })).toBe('on_oxygen 3 is not one of 0, 1');
    expect(reason({ vital: 'pulse', value: 80, source: 'pager' })).toBe('source "pager" is neither monitor nor manual');
  });
});
