import { templateSchema } from '../model/template/template.schema.js';
import { redactTemplate } from './template.redact.js';

const template = templateSchema.parse({
  name: 'ward',
  version: 1,
  title: 'Ward',
  domain: 'custom',
  topics: { input: 'in', findings: 'f', alerts: 'a', deadLetter: 'in.dlq' },
  event: {
    pseudonymKey: 'do-not-show-this-key',
    time: 'ts',
    key: 'patient_id',
    fields: { ts: { type: 'timestamp' }, patient_id: { type: 'string', pseudonymize: true } },
  },
  detectors: [{ id: 'v', type: 'velocity' }],
  alerts: { receivers: [{ name: 'ops', type: 'webhook', url: 'http://127.0.0.1:4000/a', secret: 'whsec_c2VjcmV0' }] },
  tables: { events: 'ward_events' },
});

describe('redactTemplate', () => {
  it('hides the pseudonym key and receiver secrets, and keeps the rest', () => {
    const shown = JSON.stringify(redactTemplate(template));
    expect(shown).not.toContain('do-not-show-this-key');
    expect(shown).not.toContain('whsec_c2VjcmV0');
    expect(redactTemplate(template).event.fields).toEqual(template.event.fields);
  });
});
