import { randomUUID } from 'node:crypto';
import type { AcknowledgementInput } from './acknowledgement-input.js';
import { silenceSchema, type Matcher, type Silence } from './silence.js';

/** Acknowledgements are silences whose ids start with this (POST /silences makes `sil_` ids). */
const ID_PREFIX = 'ack_';

/**
 * "I have seen this patient; quiet their alerts for a while", as a silence: it matches exactly the
 * alerts whose `template` label is the template and whose `entity` label is the patient id as
 * stored (for a template that pseudonymises patient ids, the pseudonym alerts carry).
 */
export interface AcknowledgementRequest {
  readonly template: string;
  readonly patient: string;
  /** The token name of the caller: who acknowledged. */
  readonly by: string;
  readonly input: AcknowledgementInput;
  /** Wall-clock time of the request, epoch ms. */
  readonly now: number;
  /**
   * How far before `now` in event time the acknowledgement reaches: alerts about readings still
   * in flight when the nurse acknowledged (out of order or late, within what the template's
   * watermark accepts) are part of what they have seen.
   */
  readonly inFlightMs: number;
}

/** How far behind wall time an event the template still processes may be: its watermark lag plus allowed lateness. */
export function inFlightWindow(event: { readonly maxOutOfOrderness: number; readonly allowedLateness: number }): number {
  return event.maxOutOfOrderness + event.allowedLateness;
}

/** The patient id problem, or undefined when it can be an entity label. */
export function patientIdProblem(patient: string): string | undefined {
  if (patient.length === 0 || patient.length > 200) return 'patient id: expected 1 to 200 characters';
  if (/\p{Cc}/u.test(patient)) return 'patient id: control characters are not allowed';
  return undefined;
}

/** Silences alerts of `template` for `patient` with event time in [now − inFlightMs, now + for). */
export function acknowledgementSilence(request: AcknowledgementRequest): Silence {
  return silenceSchema.parse({
    id: `${ID_PREFIX}${randomUUID()}`,
    matchers: patientMatchers(request.template, request.patient),
    starts_at: request.now - request.inFlightMs,
    ends_at: request.now + request.input.forMs,
    created_by: request.by,
    comment: request.input.comment,
    created_at: request.now,
  });
}

/** True when the silence is an acknowledgement of this patient in this template. */
export function acknowledges(silence: Silence, template: string, patient: string): boolean {
  if (!silence.id.startsWith(ID_PREFIX)) return false;
  const [first, second, ...rest] = silence.matchers;
  const [template_, patient_] = patientMatchers(template, patient);
  return rest.length === 0 && sameMatcher(first, template_) && sameMatcher(second, patient_);
}

/** An acknowledgement as the API shows it (the silence's id ends it early: `DELETE /silences/:id`). */
export interface AcknowledgementView {
  readonly id: string;
  readonly template: string;
  readonly patient: string;
  readonly acknowledged_by: string;
  readonly comment: string;
  /** Epoch ms: the event-time range it silences, [starts_at, until). */
  readonly starts_at: number;
  readonly until: number;
  readonly created_at: number;
}

export function acknowledgementView(silence: Silence, template: string, patient: string): AcknowledgementView {
  return {
    id: silence.id,
    template,
    patient,
    acknowledged_by: silence.created_by,
    comment: silence.comment,
    starts_at: silence.starts_at,
    until: silence.ends_at,
    created_at: silence.created_at,
  };
}

function patientMatchers(template: string, patient: string): [Matcher, Matcher] {
  return [
    { name: 'template', value: template, op: '=' },
    { name: 'entity', value: patient, op: '=' },
  ];
}

function sameMatcher(a: Matcher | undefined, b: Matcher): boolean {
  return a !== undefined && a.name === b.name && a.value === b.value && a.op === b.op;
}
