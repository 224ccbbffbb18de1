import { makeAlert } from '../testing/alert.fixture.js';
import { MAX_ACKNOWLEDGEMENT_MS, parseAcknowledgementInput } from './acknowledgement-input.js';
import { acknowledgementSilence, acknowledgementView, acknowledges, inFlightWindow, patientIdProblem, type AcknowledgementRequest } from './acknowledgement.js';
import { silences } from './silence.js';
import { SilenceStore } from './silence-store.js';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 11, 7, 14, 0);
const PATIENT = 'ps_Q2xhcmtzb24tMDAx';

function request(overrides: Partial<AcknowledgementRequest> = {}): AcknowledgementRequest {
  return { template: 'health', patient: PATIENT, by: 'ward-7', input: { forMs: 30 * MINUTE, comment: 'seen at bedside' }, now: NOW, inFlightMs: MINUTE, ...overrides };
}

/** An alert of `template` about `entity` whose finding's event time is `at`. */
function alertAt(at: number, entity = PATIENT, template = 'health') {
  const alert = makeAlert({ entity });
  return { ...alert, template, finding: { ...alert.finding, template, time: at } };
}

describe('acknowledgement input', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['90s', 90_000],
    ['1.5h', 90 * MINUTE],
    ['24h', MAX_ACKNOWLEDGEMENT_MS],
    [' 2h ', 120 * MINUTE],
  ])('for: %s is %d ms', (text, ms) => {
    expect(parseAcknowledgementInput({ for: text })).toEqual({ ok: true, input: { forMs: ms, comment: '' } });
  });

  it('keeps the comment', () => {
    expect(parseAcknowledgementInput({ for: '10m', comment: 'family at bedside' })).toEqual({ ok: true, input: { forMs: 10 * MINUTE, comment: 'family at bedside' } });
  });

  it.each([
    [{}, ['for: Invalid input: expected string, received undefined']],
    [undefined, ['for: Invalid input: expected string, received undefined']],
    [{ for: 30 }, ['for: Invalid input: expected string, received number']],
    [{ for: '30' }, ['for: expected a duration like "30m", got "30"']],
    [{ for: '0m' }, ['for: expected a duration like "30m", got "0m"']],
    [{ for: '-5m' }, ['for: expected a duration like "30m", got "-5m"']],
    [{ for: '25h' }, ['for: at most 24h, got "25h"; use POST /silences for longer']],
    [{ for: '2d' }, ['for: at most 24h, got "2d"; use POST /silences for longer']],
    [{ for: '30m', comment: 7 }, ['comment: Invalid input: expected string, received number']],
    [{ for: '30m', until: '2026-12-08T00:00:00Z' }, ['(body): Unrecognized key: "until"']],
    ['30m', ['(body): Invalid input: expected object, received string']],
  ])('%j is refused with %j', (body, problems) => {
    expect(parseAcknowledgementInput(body)).toEqual({ ok: false, problems });
  });

  it('refuses a comment over 2000 characters, as silences do', () => {
    expect(parseAcknowledgementInput({ for: '5m', comment: 'x'.repeat(2001) })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^comment: /)] });
  });

  it('patient ids: the stored id, 1 to 200 characters, no control characters', () => {
    expect(patientIdProblem(PATIENT)).toBeUndefined();
    expect(patientIdProblem('Patient/123')).toBeUndefined();
    expect(patientIdProblem('')).toBe('patient id: expected 1 to 200 characters');
    expect(patientIdProblem('p'.repeat(201))).toBe('patient id: expected 1 to 200 characters');
    expect(patientIdProblem('p\n1')).toBe('patient id: control characters are not allowed');
  });
});

describe('acknowledgement as a silence', () => {
  it('reaches back by the in-flight window and forward by "for", in event time', () => {
    const silence = acknowledgementSilence(request());
    expect(silence).toEqual({
      id: expect.stringMatching(/^ack_[0-9a-f-]{36}$/),
      matchers: [
        { name: 'template', value: 'health', op: '=' },
        { name: 'entity', value: PATIENT, op: '=' },
      ],
      starts_at: NOW - MINUTE,
      ends_at: NOW + 30 * MINUTE,
      created_by: 'ward-7',
      comment: 'seen at bedside',
      created_at: NOW,
    });
    expect(acknowledgementSilence(request()).id).not.toBe(silence.id);
  });

  it('the in-flight window is the watermark lag plus the allowed lateness', () => {
    expect(inFlightWindow({ maxOutOfOrderness: 30_000, allowedLateness: 0 })).toBe(30_000);
    expect(inFlightWindow({ maxOutOfOrderness: 2 * MINUTE, allowedLateness: 10 * MINUTE })).toBe(12 * MINUTE);
  });

  it('silences exactly the patient in the template, within the window (the silence matcher itself)', () => {
    const silence = acknowledgementSilence(request());
    expect(silences(silence, alertAt(NOW))).toBe(true);
    expect(silences(silence, alertAt(NOW - MINUTE))).toBe(true);
    expect(silences(silence, alertAt(NOW - MINUTE - 1))).toBe(false);
    expect(silences(silence, alertAt(NOW + 30 * MINUTE - 1))).toBe(true);
    expect(silences(silence, alertAt(NOW + 30 * MINUTE))).toBe(false);
    expect(silences(silence, alertAt(NOW, 'ps_another_patient'))).toBe(false);
    expect(silences(silence, alertAt(NOW, `${PATIENT}x`))).toBe(false);
    expect(silences(silence, alertAt(NOW, PATIENT, 'finance'))).toBe(false);
  });

  it('is told apart from other silences by its id and its two matchers', () => {
    const silence = acknowledgementSilence(request());
    expect(acknowledges(silence, 'health', PATIENT)).toBe(true);
    expect(acknowledges(silence, 'health', 'ps_another_patient')).toBe(false);
    expect(acknowledges(silence, 'finance', PATIENT)).toBe(false);
    expect(acknowledges({ ...silence, id: 'sil_1' }, 'health', PATIENT)).toBe(false);
    expect(acknowledges({ ...silence, matchers: [...silence.matchers, { name: 'severity', value: 'high', op: '=' }] }, 'health', PATIENT)).toBe(false);
    expect(acknowledges({ ...silence, matchers: silence.matchers.slice(0, 1) }, 'health', PATIENT)).toBe(false);
  });

  it('travels through the silence store like any silence, and shows as the API answers', () => {
    const silence = acknowledgementSilence(request());
    const store = new SilenceStore();
    expect(store.apply({ key: Buffer.from(silence.id), value: Buffer.from(JSON.stringify(silence)) })).toEqual({ ok: true });
    expect(store.silencing(alertAt(NOW + MINUTE))?.id).toBe(silence.id);
    expect(store.silencing(alertAt(NOW + MINUTE, 'ps_another_patient'))).toBeUndefined();
    expect(acknowledgementView(silence, 'health', PATIENT)).toEqual({
      id: silence.id,
      template: 'health',
      patient: PATIENT,
      acknowledged_by: 'ward-7',
      comment: 'seen at bedside',
      starts_at: NOW - MINUTE,
      until: NOW + 30 * MINUTE,
      created_at: NOW,
    });
  });
});
