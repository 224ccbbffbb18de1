import { pseudonym } from '../../src/runtime/event-decoder.js';
import { bloodPressurePanel, bodyTemperature, consciousness, heartRate, oxygenFlow, oxygenSaturation, patientResource, respiratoryRate } from '../../src/domains/health/formats/testing/fhir-fixtures.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedHealthTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const KEY = 'integration-test-pseudonym-key-42';
/** Raw ids distinctive enough that finding them anywhere in ClickHouse means a leak. */
const PATIENTS = ['MRN-770011', 'MRN-770012'];
const BAD_PATIENT = 'MRN-770099';
const ENCOUNTER = 'ENC-550044';
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

function goodObservations(): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  PATIENTS.forEach((patient, p) => {
    const o = (id: string, minutesAgo: number, by: 'monitor' | 'nurse' = 'monitor') => ({ id: `${id}-${p}`, patient, encounter: ENCOUNTER, effective: at(minutesAgo), by });
    for (const resource of [
      heartRate(88 + p, o('hr', 30)),
      respiratoryRate(19, o('rr', 29, 'nurse')),
      oxygenSaturation(95, o('spo2', 28)),
      bodyTemperature(100.4, '[degF]', o('temp', 27, 'nurse')),
      bloodPressurePanel(118, 76, o('bp', 26)),
      consciousness('248234008', 'Mentally alert', 'A', o('acvpu', 25, 'nurse')),
      oxygenFlow(0, o('o2', 24, 'nurse')),
    ]) {
      out.push({ key: patient, value: JSON.stringify(resource) });
    }
  });
  return out;
}

/** Each with the reason it must be dead-lettered for. */
function badObservations(): { key: string; value: string; reason: string | RegExp }[] {
  const o = (id: string) => ({ id, patient: BAD_PATIENT, encounter: ENCOUNTER, effective: at(20) });
  const { subject: _subject, ...noSubject } = heartRate(70, o('bad-nosubject'));
  return [
    { key: BAD_PATIENT, value: JSON.stringify(patientResource(BAD_PATIENT)), reason: 'resourceType is "Patient", expected "Observation"' },
    { key: BAD_PATIENT, value: JSON.stringify(oxygenSaturation(140, o('bad-spo2'))), reason: 'spo2: 140 is outside the plausible range 20–100 %' },
    { key: BAD_PATIENT, value: JSON.stringify(bodyTemperature(310, 'K', o('bad-unit'))), reason: /^unit "K" is not a unit of temperature/ },
    { key: BAD_PATIENT, value: JSON.stringify(noSubject), reason: 'observation without a patient (no subject.reference to a Patient)' },
  ];
}

describe('health template: real-shaped FHIR Observations through the real broker into ClickHouse', () => {
  let pipeline: RunningPipeline | undefined;
  let table: string;

  beforeAll(async () => {
    const template = await isolatedHealthTemplate();
    await createTopic(`${template.prefix}.observations`, 3);
    const good = goodObservations();
    const bad = badObservations();
    await produceWithKcat(`${template.prefix}.observations`, [...good, ...bad.map(({ key, value }) => ({ key, value }))]);
    pipeline = await startPipeline({ templateFile: template.file, database: `${template.prefix}_fhir`, services: ['detect', 'sink'], env: { VIGIL_PSEUDONYM_KEY: KEY } });
    table = pipeline.owned.core.template.tables.events;
    const ch = pipeline.clickhouse;
    await eventually(() => queryRows<{ n: number }>(ch, `SELECT toUInt32(count()) AS n FROM ${table}`), (r) => r[0]!.n >= good.length, 90_000, 'every good observation stored');
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM dead_letters'), (r) => r[0]!.n >= bad.length, 60_000, 'every bad observation dead-lettered');
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('stores each reading as a canonical observation under the patient pseudonym, converted to canonical units', async () => {
    const rows = await queryRows<{ obs_id: string; patient_id: string; encounter_id: string; parameter: string; value: number | null; value_text: string | null; unit: string | null; diastolic_bp: number | null; source: string; ward: string }>(
      pipeline!.clickhouse,
      `SELECT obs_id, patient_id, encounter_id, parameter, value, value_text, unit, diastolic_bp, source, ward FROM ${table} ORDER BY obs_id`,
    );
    expect(rows).toHaveLength(PATIENTS.length * 7);
    expect(new Set(rows.map((r) => r.patient_id))).toEqual(new Set(PATIENTS.map((p) => pseudonym(KEY, p))));
    expect(new Set(rows.map((r) => r.encounter_id))).toEqual(new Set([pseudonym(KEY, ENCOUNTER)]));
    const first = (id: string) => rows.find((r) => r.obs_id === id)!;
    expect(first('temp-0')).toMatchObject({ parameter: 'temperature', value: 38, unit: 'Cel', source: 'manual', ward: '4B Respiratory' });
    expect(first('bp-0')).toMatchObject({ parameter: 'systolic_bp', value: 118, diastolic_bp: 76, unit: 'mmHg', source: 'monitor' });
    expect(first('acvpu-1')).toMatchObject({ parameter: 'consciousness', value: null, value_text: 'A' });
    expect(first('hr-1')).toMatchObject({ parameter: 'pulse', value: 89, unit: '/min' });
    expect(first('o2-0')).toMatchObject({ parameter: 'on_oxygen', value: 0 });
  });

  it('dead-letters a Patient resource, SpO2 140, an unknown unit and a subject-less observation with the reason', async () => {
    const rows = await queryRows<{ code: string; reason: string; source_topic: string }>(pipeline!.clickhouse, 'SELECT code, reason, source_topic FROM dead_letters ORDER BY source_offset');
    const expected = badObservations().map((b) => b.reason);
    expect(rows).toHaveLength(expected.length);
    for (const reason of expected) expect(rows.filter((r) => (typeof reason === 'string' ? r.reason === reason : reason.test(r.reason)))).toHaveLength(1);
    for (const row of rows) expect(row.code).toBe('VIGIL_EVENT_SCHEMA');
  });

  it("answers the template's views per patient and per patient-day, under the pseudonyms", async () => {
    const ch = pipeline!.clickhouse;
    const days = await queryRows<{ patient_id: string; ward: string; observations: number; alerts: number }>(
      ch,
      // Summed over days: the readings may straddle midnight.
      'SELECT patient_id, any(ward) AS ward, toUInt32(sum(observations)) AS observations, toUInt32(sum(alerts)) AS alerts FROM health_patient_days GROUP BY patient_id ORDER BY patient_id',
    );
    expect(days.map((d) => d.patient_id).sort()).toEqual(PATIENTS.map((p) => pseudonym(KEY, p)).sort());
    for (const day of days) expect(day).toMatchObject({ ward: '4B Respiratory', observations: 7, alerts: 0 });
    const risk = await queryRows<{ patient_id: string; risk_band: string; trend: string }>(ch, 'SELECT patient_id, risk_band, trend FROM health_patient_risk');
    expect(risk).toHaveLength(PATIENTS.length);
    for (const row of risk) expect(row).toMatchObject({ risk_band: 'low', trend: 'steady' });
  });

  it('leaves no raw patient or encounter id anywhere in ClickHouse', async () => {
    const ch = pipeline!.clickhouse;
    const tables = await queryRows<{ name: string }>(ch, "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([table, 'dead_letters', 'findings']));
    const leaks: string[] = [];
    for (const { name } of tables) {
      for (const raw of [...PATIENTS, BAD_PATIENT, ENCOUNTER]) {
        const [hit] = await queryRows<{ n: number }>(ch, `SELECT toUInt32(count()) AS n FROM \`${name}\` WHERE position(formatRow('TSV', *), '${raw}') > 0`);
        if (hit!.n > 0) leaks.push(`${name}: ${raw} in ${hit!.n} rows`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
