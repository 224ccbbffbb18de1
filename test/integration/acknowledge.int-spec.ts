import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import { pseudonym } from '../../src/runtime/event-decoder.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { testAlert } from '../utils/alerts.js';
import { eventually, isolatedFinanceTemplate, queryRows, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const run = promisify(execFile);
const CLI = path.resolve('bin/vigil.js');
const MINUTE = 60_000;
const VIEWER = 'viewer-token-0123456789abcdef';
const OPERATOR = 'operator-token-0123456789abcdef';
const TOKENS = `ward:viewer:${VIEWER},oncall:operator:${OPERATOR}`;
/** Patient ids as alerts carry them: pseudonymised by the template's keyed hash as events are decoded. */
const KEY = 'ward-7-pseudonym-key-0123';
const PATIENT = pseudonym(KEY, 'Patient/123');
const OTHER = pseudonym(KEY, 'Patient/456');

interface Acknowledgement {
  id: string;
  template: string;
  patient: string;
  acknowledged_by: string;
  comment: string;
  starts_at: number;
  until: number;
}

describe('patient acknowledgements (real Kafka broker, embedded ClickHouse, API with tokens, real HTTP receiver)', () => {
  let receiver: RecordingServer;
  let pipeline: RunningPipeline | undefined;
  let base = '';
  let name = '';
  let prefix = '';
  let templateFile = '';

  beforeAll(async () => {
    receiver = await startRecordingServer((res) => res.writeHead(200).end());
    const isolated = await isolatedFinanceTemplate();
    ({ name, prefix, file: templateFile } = isolated);
    await setAlerting(isolated.file, { receivers: [`{ name: ward, type: webhook, url: "${receiver.url}" }`], routes: ['receiver: ward'] });
    pipeline = await startPipeline({ templateFile: isolated.file, database: `${prefix}_ack`, services: ['sink', 'notify', 'api'], env: { VIGIL_API_TOKENS: TOKENS } });
    base = pipeline.stages.apiUrl!;
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
  }, 60_000);

  const call = (route: string, token: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  const acknowledge = (patient: string, body: unknown, token = OPERATOR, template = name) =>
    call(`/templates/${template}/patients/${patient}/acknowledge`, token, { method: 'POST', body: JSON.stringify(body) });
  const listed = async (patient: string) =>
    ((await (await call(`/templates/${name}/patients/${patient}/acknowledgements`, VIEWER)).json()) as { acknowledgements: Acknowledgement[] }).acknowledgements;

  let ack: Acknowledgement;

  it('refuses a viewer (403), bad input (400) and another template (404); an operator acknowledges, listed for viewers and audited', async () => {
    expect((await acknowledge(PATIENT, { for: '30m' }, VIEWER)).status).toBe(403);
    const bad = await acknowledge(PATIENT, { for: '48h', note: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VIGIL_ACK_INVALID', problems: ['for: at most 24h, got "48h"; use POST /silences for longer', '(body): Unrecognized key: "note"'] });
    expect((await acknowledge(PATIENT, { for: '30m' }, OPERATOR, 'another_template')).status).toBe(404);

    const before = Date.now();
    const created = await acknowledge(PATIENT, { for: '30m', comment: 'seen at bedside, febrile, doctor informed' });
    const after = Date.now();
    expect(created.status).toBe(201);
    ack = (await created.json()) as Acknowledgement;
    expect(ack).toMatchObject({ id: expect.stringMatching(/^ack_/), template: name, patient: PATIENT, acknowledged_by: 'oncall', comment: 'seen at bedside, febrile, doctor informed' });
    expect(ack.until).toBeGreaterThanOrEqual(before + 30 * MINUTE);
    expect(ack.until).toBeLessThanOrEqual(after + 30 * MINUTE);
    // The finance template's watermark trails by 30s and allows no lateness: the in-flight window.
    expect(ack.until - ack.starts_at).toBe(30 * MINUTE + 30_000);

    const active = await eventually(() => listed(PATIENT), (list) => list.length === 1, 30_000, 'the acknowledgement listed');
    expect(active).toEqual([ack]);
    expect(await listed(OTHER)).toEqual([]);
    // It is a silence like any other (and DELETE /silences/:id ends it early).
    expect((await call(`/silences/${ack.id}`, VIEWER)).status).toBe(200);

    const audit = await eventually(
      () => queryRows<{ actor: string; role: string; action: string; target: string; before: string; after: string }>(pipeline!.clickhouse, "SELECT actor, role, action, target, before, after FROM audit_log WHERE action = 'patient.acknowledge'"),
      (rows) => rows.length >= 1,
      30_000,
      'the audit row',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'oncall', role: 'operator', action: 'patient.acknowledge', target: PATIENT, before: '' });
    expect(JSON.parse(audit[0]!.after)).toEqual(ack);
  }, 90_000);

  it("silences the acknowledged patient's alerts in its window, and not another patient's", async () => {
    const now = Date.now();
    await createTopic(`${prefix}.alerts`, 6).catch(() => undefined);
    const alerts = [
      testAlert({ template: name, id: 'a-acked', entity: PATIENT, at: now }),
      testAlert({ template: name, id: 'a-in-flight', entity: PATIENT, at: ack.starts_at + 1000 }),
      testAlert({ template: name, id: 'a-other', entity: OTHER, at: now }),
      testAlert({ template: name, id: 'a-after', entity: PATIENT, at: ack.until + MINUTE }),
    ];
    await produceWithKcat(`${prefix}.alerts`, alerts.map((a) => ({ key: a.finding.entity, value: JSON.stringify(a) })));
    const rows = await eventually(
      () => queryRows<{ alert_id: string; outcome: string; error: string }>(pipeline!.clickhouse, 'SELECT alert_id, outcome, error FROM alert_deliveries ORDER BY alert_id'),
      (r) => r.length >= alerts.length,
      60_000,
      'a delivery-log row per alert',
    );
    expect(rows).toEqual([
      { alert_id: 'a-acked', outcome: 'suppressed', error: `silenced by ${ack.id}` },
      { alert_id: 'a-after', outcome: 'delivered', error: '' },
      { alert_id: 'a-in-flight', outcome: 'suppressed', error: `silenced by ${ack.id}` },
      { alert_id: 'a-other', outcome: 'delivered', error: '' },
    ]);
    expect(receiver.requests.map((r) => r.headers['webhook-id']).sort()).toEqual(['a-after', 'a-other']);
  }, 90_000);

  it('vigil ack calls the API with VIGIL_API_TOKEN, and says what to fix when refused', async () => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
    const vigil = async (args: readonly string[], token: string) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', VIGIL_API_URL: base, VIGIL_API_TOKEN: token }, timeout: 60_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    };
    const ok = await vigil(['ack', OTHER, '--for', '15m', '--comment', 'settled after fluids', '-t', name], OPERATOR);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^acknowledged ${OTHER} in ${name} until \\d{4}-\\d\\d-\\d\\dT.*DELETE /silences/ack_`)) });
    const listedByCli = await eventually(() => listed(OTHER), (list) => list.length === 1, 30_000, 'the CLI acknowledgement listed');
    expect(listedByCli[0]).toMatchObject({ acknowledged_by: 'oncall', comment: 'settled after fluids' });
    // -t takes a template file too, as `vigil rules` does: the name is read from it.
    expect(await vigil(['ack', OTHER, '--for', '5m', '-t', templateFile, '--json'], OPERATOR)).toMatchObject({ code: 0, stdout: expect.stringContaining(`"template":"${name}"`) });

    expect(await vigil(['ack', OTHER, '--for', '15m', '-t', name], VIEWER)).toMatchObject({ code: 2, stderr: expect.stringMatching(/VIGIL_CONFIG_INVALID: .*403 .*operator role.*VIGIL_API_TOKEN was refused/) });
    expect(await vigil(['ack', OTHER, '--for', '2d', '-t', name], OPERATOR)).toMatchObject({ code: 2, stderr: expect.stringContaining('VIGIL_ACK_INVALID: for: at most 24h') });
    expect(await vigil(['ack', OTHER, '--for', '15m', '-t', 'not_running'], OPERATOR)).toMatchObject({ code: 2, stderr: expect.stringContaining('VIGIL_TEMPLATE_NOT_FOUND') });
  }, 90_000);
});
