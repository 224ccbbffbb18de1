import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { builtInGenerators } from '../../src/domains/domains.js';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, setAlerting } from '../utils/pipeline.js';

const CLI = path.resolve('bin/vigil.js');

/**
 * A full run at debug level, with every kind of secret configured (webhook signing secrets, a
 * receiver's header, API tokens, the ClickHouse password), a receiver that first fails, and API
 * calls with wrong and right tokens: no secret may appear in any log line or API answer.
 */
describe('secrets stay out of logs, errors and the API (real vigil process)', () => {
  let receiver: RecordingServer | undefined;
  let dataDir = '';

  afterAll(async () => {
    await receiver?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('never prints a configured secret', async () => {
    const webhookSecret = generateWebhookSecret();
    const oldSecret = generateWebhookSecret();
    const headerToken = `hdr-${randomBytes(16).toString('hex')}`;
    const adminToken = `adm-${randomBytes(16).toString('hex')}`;
    const viewerToken = `vwr-${randomBytes(16).toString('hex')}`;
    const clickhousePassword = `chpw-${randomBytes(16).toString('hex')}`;
    const secrets = [webhookSecret, webhookSecret.replace(/^whsec_/, ''), oldSecret, headerToken, adminToken, viewerToken, clickhousePassword];

    let calls = 0;
    // Fails the first deliveries (errors are logged), then accepts.
    receiver = await startRecordingServer((res) => {
      calls += 1;
      res.writeHead(calls <= 2 ? 500 : 200).end(calls <= 2 ? 'down' : 'ok');
    });
    const template = await isolatedFinanceTemplate();
    await setAlerting(template.file, {
      receivers: [
        `{ name: ops, type: webhook, url: "${receiver.url}/alerts", secrets: ["\${SECRET_NEW}", "\${SECRET_OLD}"], headers: { Authorization: "Bearer \${HEADER_TOKEN}" }, maxAttempts: 4, backoff: { initial: 50ms, max: 200ms } }`,
      ],
      routes: ['{ receiver: ops, match: { severity: [medium, high, critical] } }'],
    });
    const input = `${template.prefix}.transactions`;
    await createTopic(input, 6);
    const generator = builtInGenerators().create('finance', { seed: 3, params: { customers: 200, terminals: 100, burstProbability: 0.05 } });
    const t0 = Date.now() - 30 * 60_000;
    await produceWithKcat(input, Array.from({ length: 1500 }, (_, i) => generator.next(t0 + i * 400)).map((e) => ({ key: e.key, value: JSON.stringify(e.value) })));

    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-secrets-'));
    // In a templates directory of its own, so GET /templates/:name shows it (secrets redacted).
    const templatesDir = path.join(dataDir, 'templates');
    await mkdir(path.join(templatesDir, template.name), { recursive: true });
    await copyFile(template.file, path.join(templatesDir, template.name, 'template.yaml'));
    const output: string[] = [];
    const child = spawn(process.execPath, [CLI, 'run', '-t', template.name], {
      env: {
        ...process.env,
        KAFKA_BROKERS: testBrokers().join(','),
        VIGIL_DATA_DIR: dataDir,
        VIGIL_TEMPLATES_DIR: templatesDir,
        VIGIL_LOG_LEVEL: 'debug',
        VIGIL_API_PORT: '0',
        VIGIL_LAG_SAMPLE_MS: '500',
        SECRET_NEW: webhookSecret,
        SECRET_OLD: oldSecret,
        HEADER_TOKEN: headerToken,
        VIGIL_API_TOKENS: `ci:admin:${adminToken},grafana:viewer:${viewerToken}`,
        CLICKHOUSE_PASSWORD: clickhousePassword,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    try {
      const api = await eventually(
        () => Promise.resolve(/"api":"(http:[^"]+)"/.exec(output.join(''))?.[1]),
        (url) => url !== undefined,
        90_000,
        'vigil running',
      );
      const answers: string[] = [];
      const call = async (route: string, token?: string) => {
        const response = await fetch(`${api}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        answers.push(await response.text());
        return response.status;
      };
      expect(await call('/status', `${adminToken}x`)).toBe(401);
      expect(await call('/status')).toBe(401);
      expect(await call(`/templates/${template.name}`, viewerToken)).toBe(200);
      expect(answers.at(-1)).toContain('"receivers"');
      expect(await call('/templates', viewerToken)).toBe(200);
      expect(await call('/metrics', viewerToken)).toBe(200);
      // Alerts reach the receiver after its failures: errors were logged on the way.
      await eventually(() => Promise.resolve(calls), (n) => n > 2, 120_000, 'an alert delivered');
      expect(receiver.requests[0]!.headers.authorization).toBe(`Bearer ${headerToken}`);
      const everything = [...output, ...answers].join('\n');
      expect(everything).toContain('"level":20'); // debug lines were written
      for (const secret of secrets) expect({ secret: secret.slice(0, 6), found: everything.includes(secret) }).toEqual({ secret: secret.slice(0, 6), found: false });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 300_000);
});
