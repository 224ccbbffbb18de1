import type { IncomingMessage } from '../../kafka/kafka.types.js';
import { deadLetter } from '../../kafka/dead-letter.js';
import { templateSchema } from '../../model/template/template.schema.js';
import { DEAD_LETTER_COLUMNS } from '../../sink/dead-letter-row.js';
import { eventColumns } from '../../sink/row-mappers.js';
import { sinkRoutes } from './sink-routes.js';

/** A template that pseudonymises its key: nothing the sink stores may name the patient in the clear. */
const template = templateSchema.parse({
  name: 'ward',
  version: 1,
  title: 'Ward',
  domain: 'health',
  topics: { input: 'obs', findings: 'obs.findings', alerts: 'obs.alerts', deadLetter: 'obs.dlq' },
  event: {
    pseudonymKey: 'a-secret-of-sixteen-chars',
    time: 'ts',
    key: 'patient_id',
    fields: {
      ts: { type: 'timestamp', required: true },
      patient_id: { from: 'patient', type: 'string', required: true, pseudonymize: true },
      value: { type: 'number' },
    },
  },
  detectors: [{ id: 'v', type: 'velocity' }],
  tables: { events: 'obs_events' },
});

function message(topic: string, value: string, key = 'MRN-0042'): IncomingMessage {
  return { topic, partition: 0, offset: '5', key: Buffer.from(key), value: Buffer.from(value), headers: {}, timestamp: 1_765_000_000_000 };
}

const named = (columns: readonly string[], row: readonly unknown[]) => Object.fromEntries(columns.map((column, i) => [column, row[i]]));

describe('sink routes of a template that pseudonymises', () => {
  const routes = sinkRoutes(template);

  it('store the decoded fields as raw, never the message as received (the simulator label kept)', () => {
    const row = routes.get('obs')!.decode(message('obs', JSON.stringify({ ts: 1_765_000_000_000, patient: 'MRN-0042', value: 7, _label: { fraud: true, scenario: 'sepsis' } })));
    const stored = named(eventColumns(template.event.fields), row as unknown[]);
    expect(JSON.stringify(stored)).not.toContain('MRN-0042');
    expect(JSON.parse(stored.raw as string)).toEqual({ ts: 1_765_000_000_000, patient_id: stored.patient_id, value: 7, _label: { fraud: true, scenario: 'sepsis' } });
  });

  it('withhold the key and value of a dead-lettered input message, keeping why, where from and its size', () => {
    const original = message('obs', '{"patient": "MRN-0042", "value": 140}');
    const out = deadLetter('obs.dlq', original, { code: 'VIGIL_EVENT_SCHEMA', reason: 'spo2: 140 is outside the plausible range 20–100 %' }, 1_765_000_000_100);
    const dlq: IncomingMessage = { topic: 'obs.dlq', partition: 0, offset: '1', key: out.key as Buffer, value: out.value as Buffer, headers: out.headers ?? {}, timestamp: 1_765_000_000_100 };
    const row = named(DEAD_LETTER_COLUMNS, routes.get('obs.dlq')!.decode(dlq) as unknown[]);
    expect(row).toMatchObject({ key: '', value: '', value_bytes: original.value!.length, reason: 'spo2: 140 is outside the plausible range 20–100 %', source_topic: 'obs' });
    expect(JSON.stringify(row)).not.toContain('MRN-0042');
    // Undeliverable alerts carry pseudonyms only: stored whole.
    const alert = named(DEAD_LETTER_COLUMNS, routes.get('obs.alerts.dlq')!.decode(message('obs.alerts.dlq', '{"entity": "ps_x"}', 'alr_1')) as unknown[]);
    expect(alert).toMatchObject({ key: 'alr_1', value: '{"entity": "ps_x"}' });
  });
});
