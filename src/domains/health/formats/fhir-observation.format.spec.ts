import path from 'node:path';
import { VigilError } from '../../../errors/vigil-error.js';
import type { VigilEvent } from '../../../model/records.js';
import { EventDecoder, pseudonym } from '../../../runtime/event-decoder.js';
import { loadTemplate } from '../../../templates/template.loader.js';
import { builtIns } from '../../domains.js';
import { bloodPressurePanel, bodyTemperature, consciousness, heartRate, oxygenFlow, oxygenSaturation, patientResource, respiratoryRate } from './testing/fhir-fixtures.js';

const KEY = 'a-test-pseudonym-key-0123456789';
const source = { topic: 'vigil.health.observations', partition: 0, offset: '7' };
let decoder: EventDecoder;

beforeAll(async () => {
  const loaded = await loadTemplate(path.resolve('templates/health/template.yaml'), { env: { VIGIL_PSEUDONYM_KEY: KEY }, ...builtIns() });
  expect(loaded.format.name).toBe('fhir-observation');
  decoder = new EventDecoder(loaded.template, loaded.format);
});

const decode = (resource: unknown): VigilEvent => decoder.decode(JSON.stringify(resource), source);

function reason(resource: unknown): string {
  try {
    decode(resource);
  } catch (error) {
    expect(error).toBeInstanceOf(VigilError);
    expect((error as VigilError).code).toBe('VIGIL_EVENT_SCHEMA');
    return (error as VigilError).message;
  }
  throw new Error('expected the observation to be dead-lettered');
}

describe('fhir-observation through the health template', () => {
  it('reads a monitor heart rate: LOINC 8867-4 as pulse in /min, event time, ward, pseudonymised patient and encounter', () => {
    const event = decode(heartRate(72, { id: 'hr-1', patient: 'pat-1001', encounter: 'enc-77', effective: '2026-12-07T09:30:00+01:00' }));
    expect(event.fields).toMatchObject({ obs_id: 'hr-1', parameter: 'pulse', value: 72, unit: '/min', value_text: null, source: 'monitor', ward: '4B Respiratory', status: 'final' });
    expect(event.time).toBe(Date.UTC(2026, 11, 7, 8, 30));
    expect(event.id).toBe('hr-1');
    expect(event.fields.patient_id).toBe(pseudonym(KEY, 'pat-1001'));
    expect(event.key).toBe(event.fields.patient_id);
    expect(event.fields.encounter_id).toBe(pseudonym(KEY, 'enc-77'));
    expect(JSON.stringify(event.fields)).not.toMatch(/pat-1001|enc-77/);
  });

  it('reads a charted respiratory rate as manual, and SpO2 under either LOINC code', () => {
    expect(decode(respiratoryRate(18, { by: 'nurse' })).fields).toMatchObject({ parameter: 'resp_rate', value: 18, unit: '/min', source: 'manual' });
    expect(decode(oxygenSaturation(94)).fields).toMatchObject({ parameter: 'spo2', value: 94, unit: '%' });
    const onlyPulseOx = oxygenSaturation(91);
    (onlyPulseOx.code as { coding: unknown[] }).coding.shift();
    expect(decode(onlyPulseOx).fields).toMatchObject({ parameter: 'spo2', value: 91, spo2_scale: null });
  });

  it("carries the patient's SpO2 scale from the extension on an SpO2 reading, and refuses a scale that is neither 1 nor 2", () => {
    const onScale = (scale: number) => {
      const resource = oxygenSaturation(89);
      (resource.extension as unknown[]).push({ url: 'http://vigil.dev/fhir/spo2-scale', valueInteger: scale });
      return resource;
    };
    expect(decode(onScale(2)).fields).toMatchObject({ parameter: 'spo2', value: 89, spo2_scale: 2 });
    expect(reason(onScale(3))).toBe('spo2_scale 3 is not one of 1, 2');
  });

  it('converts a temperature in [degF] to °C and keeps one in Cel', () => {
    expect(decode(bodyTemperature(100.4, '[degF]')).fields).toMatchObject({ parameter: 'temperature', value: 38, unit: 'Cel' });
    expect(decode(bodyTemperature(36.8, 'Cel')).fields).toMatchObject({ parameter: 'temperature', value: 36.8, unit: 'Cel' });
  });

  it('reads a blood-pressure panel as one systolic_bp event carrying its diastolic, from mm[Hg] or kPa', () => {
    expect(decode(bloodPressurePanel(122, 78)).fields).toMatchObject({ parameter: 'systolic_bp', value: 122, diastolic_bp: 78, unit: 'mmHg' });
    expect(decode(bloodPressurePanel(16, 10, {}, 'kPa')).fields).toMatchObject({ parameter: 'systolic_bp', value: 120.01, diastolic_bp: 75.01, unit: 'mmHg' });
  });

  it('reads ACVPU from the SNOMED CT finding and oxygen flow as on_oxygen 1|0', () => {
    expect(decode(consciousness('130987000', 'Acute confusion', 'C')).fields).toMatchObject({ parameter: 'consciousness', value: null, value_text: 'C', unit: null });
    expect(decode(oxygenFlow(2)).fields).toMatchObject({ parameter: 'on_oxygen', value: 1, unit: null });
    expect(decode(oxygenFlow(0)).fields).toMatchObject({ parameter: 'on_oxygen', value: 0 });
  });

  it('accepts preliminary (an unverified monitor value), amended and corrected readings', () => {
    for (const status of ['preliminary', 'amended', 'corrected']) expect(decode(heartRate(80, { status })).fields.status).toBe(status);
  });

  it('dead-letters another resource type, a retracted reading and an observation without a patient, with the reason', () => {
    expect(reason(patientResource())).toBe('resourceType is "Patient", expected "Observation"');
    expect(reason(heartRate(80, { status: 'entered-in-error' }))).toMatch(/^status "entered-in-error" carries no reading/);
    const { subject: _subject, ...orphan } = heartRate(80);
    expect(reason(orphan)).toBe('observation without a patient (no subject.reference to a Patient)');
    expect(reason({ ...heartRate(80), subject: { reference: 'Group/ward-4b' } })).toBe('observation without a patient: subject is Group/ward-4b, expected a Patient reference');
  });

  it('dead-letters impossible values with the plausibility reason, never scoring them', () => {
    expect(reason(oxygenSaturation(140))).toBe('spo2: 140 is outside the plausible range 20–100 %');
    expect(reason(bodyTemperature(3, 'Cel'))).toBe('temperature: 3 is outside the plausible range 25–45 °C');
    expect(reason(heartRate(-5))).toBe('pulse: -5 is outside the plausible range 0–300 /min');
    expect(reason(bloodPressurePanel(120, 400))).toBe('diastolic_bp: 400 is outside the plausible range 5–250 mmHg');
  });

  it('dead-letters a unit it does not know, naming it, and a code that is not a vital it reads', () => {
    expect(reason(bodyTemperature(310, 'K'))).toMatch(/^unit "K" is not a unit of temperature \(expected /);
    expect(reason({ ...heartRate(80), code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] } })).toBe(
      'code http://loinc.org|29463-7 is not a vital sign Vigil reads',
    );
  });

  it('treats a reading without a value as missing (dead-lettered with FHIR\'s reason), never as zero', () => {
    const { valueQuantity: _value, ...absent } = heartRate(80);
    expect(reason({ ...absent, dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'asked-declined' }] } })).toBe(
      'pulse observation has no valueQuantity.value (dataAbsentReason asked-declined)',
    );
    const panel = bloodPressurePanel(120, 80);
    (panel.component as unknown[]).shift();
    expect(reason(panel)).toBe('blood-pressure panel (85354-9) without a systolic component (8480-6)');
  });
});
