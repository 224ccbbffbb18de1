import { templateSchema, type Template } from '../../model/template/template.schema.js';

/** A valid template with one field of every type, through the real schema (so defaults apply). */
export function testTemplate(overrides: { fields?: Record<string, unknown>; table?: string; ttl?: string } = {}): Template {
  return templateSchema.parse({
    name: 'payments',
    version: 1,
    title: 'Payments',
    domain: 'finance',
    topics: { input: 'payments', findings: 'payments.findings', alerts: 'payments.alerts', deadLetter: 'payments.dlq' },
    event: {
      id: 'tx_id',
      time: 'ts',
      key: 'card',
      fields: overrides.fields ?? {
        tx_id: { type: 'string', required: true },
        card: { type: 'string', required: true },
        ts: { type: 'timestamp', required: true },
        amount: { type: 'number', required: true },
        items: { type: 'integer' },
        online: { type: 'boolean' },
        settled_at: { type: 'timestamp' },
        tags: { type: 'string[]' },
        note: { type: 'string' },
      },
    },
    detectors: [{ id: 'velocity', type: 'velocity' }],
    tables: { events: overrides.table ?? 'payment_events', ttl: overrides.ttl ?? '90d' },
  });
}
