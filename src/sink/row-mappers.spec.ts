import type { Alert, Finding, VigilEvent } from '../model/records.js';
import { fromDateTime64, toDateTime64 } from './datetime64.js';
import { alertMessageRow, decodeAlert, decodeFinding, findingMessageRow } from './record-decoders.js';
import { ALERT_COLUMNS, alertRow, eventColumns, eventRow, FINDING_COLUMNS, findingRow, type Row } from './row-mappers.js';
import { testTemplate } from './testing/test-template.js';

const T = Date.UTC(2026, 10, 25, 9, 30, 15, 42);
const source = { topic: 'in', partition: 4, offset: '77' };

/** A row as { column: value }, to compare by name. */
const named = (columns: readonly string[], row: Row) => {
  expect(row).toHaveLength(columns.length);
  return Object.fromEntries(columns.map((column, i) => [column, row[i]]));
};

const finding: Finding = {
  id: 'f-1',
  template: 'payments',
  detector: 'velocity',
  detector_type: 'velocity',
  detector_version: '2',
  entity: 'card-1',
  severity: 'critical',
  kind: 'velocity.count',
  title: 'too many',
  score: 1,
  time: T,
  window_start: T - 1000,
  window_end: T,
  values: { count: 12 },
  thresholds: { count: 10 },
  event_ids: ['e1'],
  trigger_event_id: 'e1',
};

describe('toDateTime64 / fromDateTime64', () => {
  it('formats epoch ms as UTC with milliseconds and parses it back', () => {
    expect(toDateTime64(T)).toBe('2026-11-25 09:30:15.042');
    expect(fromDateTime64('2026-11-25 09:30:15.042')).toBe(T);
    expect(toDateTime64(0)).toBe('1970-01-01 00:00:00.000');
    expect(toDateTime64(T + 0.9)).toBe('2026-11-25 09:30:15.042');
  });

  it('formats like toISOString across seconds, days and before 1970 (the cached second prefix)', () => {
    const times = [T, T + 1, T + 957, T + 958, T - 43, T, -1, -1000, -1001, Date.UTC(1900, 0, 1), Date.UTC(2299, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1)];
    for (const ms of times) expect(toDateTime64(ms)).toBe(new Date(ms).toISOString().replace('T', ' ').slice(0, 23));
    for (let ms = T - 2500; ms < T + 2500; ms += 7) expect(fromDateTime64(toDateTime64(ms))).toBe(ms);
  });

  it('refuses values DateTime64 would silently clamp', () => {
    expect(() => toDateTime64(Number.NaN)).toThrow(RangeError);
    expect(() => toDateTime64(Date.UTC(1899, 11, 31))).toThrow(RangeError);
    expect(() => toDateTime64(Date.UTC(2300, 0, 1))).toThrow(RangeError);
    expect(() => fromDateTime64('yesterday')).toThrow(RangeError);
  });
});

describe('eventRow', () => {
  const fields = testTemplate().event.fields;
  const event = (values: VigilEvent['fields']): VigilEvent => ({ id: 'e1', time: T, key: 'card-1', fields: values, source });
  const required = { tx_id: 'e1', card: 'card-1', ts: T, amount: 1.5 };

  it('maps each field by type, fills optional ones, and adds lineage', () => {
    const columns = eventColumns(fields);
    const row = eventRow(event({ ...required, items: 2, online: false, settled_at: '2026-11-25T09:30:15.042Z', tags: ['x'], extra: 'ignored' }), '{}', fields);
    expect(named(columns, row)).toEqual({
      event_id: 'e1',
      event_time: '2026-11-25 09:30:15.042',
      event_key: 'card-1',
      tx_id: 'e1',
      card: 'card-1',
      ts: '2026-11-25 09:30:15.042',
      amount: 1.5,
      items: 2,
      online: false,
      settled_at: '2026-11-25 09:30:15.042',
      tags: ['x'],
      note: null,
      raw: '{}',
      _topic: 'in',
      _partition: 4,
      _offset: '77',
    });
    expect(named(columns, eventRow(event({ ...required, tags: null }), '{}', fields)).tags).toEqual([]);
  });

  it.each([
    [{ ...required, amount: null }, 'field amount is required'],
    [{ tx_id: 'e1', card: 'card-1', amount: 1 }, 'field ts is required'],
    [{ ...required, amount: '1.5' }, 'field amount: expected number, got "1.5"'],
    [{ ...required, amount: Number.POSITIVE_INFINITY }, 'field amount: expected number, got Infinity'],
    [{ ...required, items: 1.5 }, 'field items: expected integer, got 1.5'],
    [{ ...required, online: 'yes' }, 'field online: expected boolean, got "yes"'],
    [{ ...required, settled_at: 'soon' }, 'field settled_at: expected timestamp, got "soon"'],
    [{ ...required, settled_at: -1e15 }, 'field settled_at: timestamp -1000000000000000 is outside DateTime64 range (1900..2299)'],
    [{ ...required, tags: ['a', 1] as unknown as string[] }, 'field tags: expected string[], got ["a",1]'],
    [{ ...required, card: 7 }, 'field card: expected string, got 7'],
  ])('refuses %j', (values, message) => {
    expect(() => eventRow(event(values as VigilEvent['fields']), '{}', fields)).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA', message }));
  });
});

describe('findingRow / alertRow', () => {
  it('keeps every finding field and formats its times', () => {
    expect(named(FINDING_COLUMNS, findingRow(finding, source))).toEqual({
      ...finding,
      time: '2026-11-25 09:30:15.042',
      window_start: '2026-11-25 09:30:14.042',
      window_end: '2026-11-25 09:30:15.042',
      labels: {},
      _topic: 'in',
      _partition: 4,
      _offset: '77',
    });
  });

  it("carries the finding's labels (the health template's ward) into both rows", () => {
    const labelled = { ...finding, labels: { ward: 'ward-01' } };
    expect(named(FINDING_COLUMNS, findingRow(labelled, source)).labels).toEqual({ ward: 'ward-01' });
    const alert: Alert = { id: 'a-1', fingerprint: 'fp', template: 'payments', finding: labelled, created_at: T + 1 };
    expect(named(ALERT_COLUMNS, alertRow(alert, source))).toMatchObject({ labels: { ward: 'ward-01' }, finding: JSON.stringify(labelled) });
    expect(decodeFinding(Buffer.from(JSON.stringify(labelled)))).toEqual(labelled);
  });

  it('copies the finding fields dashboards filter by into the alert row', () => {
    const alert: Alert = { id: 'a-1', fingerprint: 'fp', template: 'payments', finding, created_at: T + 1 };
    expect(named(ALERT_COLUMNS, alertRow(alert, source))).toEqual({
      id: 'a-1',
      fingerprint: 'fp',
      template: 'payments',
      detector: 'velocity',
      entity: 'card-1',
      severity: 'critical',
      title: 'too many',
      time: '2026-11-25 09:30:15.042',
      created_at: '2026-11-25 09:30:15.043',
      finding: JSON.stringify(finding),
      labels: {},
      _topic: 'in',
      _partition: 4,
      _offset: '77',
    });
  });
});

describe('record decoders', () => {
  const msg = (value: string | null) => ({ ...source, key: null, value: value === null ? null : Buffer.from(value), headers: {}, timestamp: 0 });

  it('decodes findings and alerts from message values into rows', () => {
    expect(decodeFinding(Buffer.from(JSON.stringify({ ...finding, future_field: 1 })))).toEqual(finding);
    expect(named(FINDING_COLUMNS, findingMessageRow(msg(JSON.stringify(finding))))).toMatchObject({ id: 'f-1', _offset: '77' });
    const alert = { id: 'a', fingerprint: 'fp', template: 'payments', finding, created_at: T };
    expect(decodeAlert(Buffer.from(JSON.stringify(alert)))).toEqual(alert);
    expect(named(ALERT_COLUMNS, alertMessageRow(msg(JSON.stringify(alert))))).toMatchObject({ id: 'a', detector: 'velocity' });
  });

  it('says why a value cannot be a record', () => {
    expect(() => decodeFinding(null)).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_DECODE', message: 'finding: message has no value' }));
    expect(() => decodeFinding(Buffer.from('{'))).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_DECODE' }));
    expect(() => decodeFinding(Buffer.from(JSON.stringify({ ...finding, severity: 'urgent', score: 'x' })))).toThrow(
      expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA', message: expect.stringMatching(/^finding: severity: .*; score: /) as unknown }),
    );
    expect(() => decodeAlert(Buffer.from(JSON.stringify({ id: 'a', fingerprint: 'f', template: 't', created_at: 1 })))).toThrow(
      expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA', message: expect.stringContaining('finding:') as unknown }),
    );
  });
});
