import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { CHDB_DIR, eventually, isolatedFinanceTemplate, queryRows, startPipeline } from '../utils/pipeline.js';

const run = promisify(execFile);
const CLI = path.resolve('bin/vigil.js');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI as a user would (npm test builds dist/ first). */
async function vigil(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('vigil CLI', () => {
  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  it('templates list names the finance template', async () => {
    const result = await vigil(['templates', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^finance\s+finance\s+Card payments$/m);
  });

  it('templates show prints the validated template with the secret redacted', async () => {
    const result = await vigil(['templates', 'show', 'finance'], { VIGIL_WEBHOOK_SECRET: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('secret: "[redacted]"');
    expect(result.stdout).not.toContain('c2VjcmV0');
  });

  it('templates validate fails with exit code 2 naming the file, the field and the problem', async () => {
    const result = await vigil(['templates', 'validate', 'test/fixtures/templates/bad-duration.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'vigil: VIGIL_TEMPLATE_INVALID: test/fixtures/templates/bad-duration.yaml: detectors[0].params.window: expected duration like "5m", got "5 minutes"\n',
    );
  });

  it('templates validate accepts a good template', async () => {
    const result = await vigil(['templates', 'validate', 'templates/finance/template.yaml']);
    expect(result).toMatchObject({ code: 0, stdout: 'templates/finance/template.yaml: valid (template finance v1, 6 detector(s))\n' });
  });

  it('run refuses a bad template before connecting to anything', async () => {
    const result = await vigil(['run', '--template', 'test/fixtures/templates/unknown-detector.yaml'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^vigil: VIGIL_TEMPLATE_INVALID: test\/fixtures\/templates\/unknown-detector.yaml: detectors\[0\]\.type: unknown detector type/);
  });

  it('query opens the embedded data itself when no Vigil runs', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-'));
    try {
      const result = await vigil(['query', 'SELECT 40 + 2 AS answer', '--format', 'json'], { VIGIL_DATA_DIR: dataDir, VIGIL_API_URL: 'http://127.0.0.1:1' });
      expect(result).toMatchObject({ code: 0, stdout: '{"answer":42}\n' });
      const refused = await vigil(['query', 'INSERT INTO t VALUES (1)'], { VIGIL_DATA_DIR: dataDir, VIGIL_API_URL: 'http://127.0.0.1:1' });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^vigil: VIGIL_QUERY: /);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('query never asks the local API it guesses when that serves other data (another Vigil on the port): it opens its own data', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-'));
    // Another Vigil's API, with its own data: it would answer any query, with its rows.
    const other = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/status') res.end(JSON.stringify({ template: 'health', version: 1, data: '0123456789abcdef' }));
      else if (req.method === 'POST' && req.url === '/query') res.end(JSON.stringify({ format: 'JSONEachRow', rows: [{ answer: 'not yours' }], text: '', truncated: false }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    try {
      // No VIGIL_API_URL: the CLI guesses the API on VIGIL_API_PORT, as on the default 8080.
      const result = await vigil(['query', 'SELECT 40 + 2 AS answer', '--format', 'json'], { VIGIL_DATA_DIR: dataDir, VIGIL_API_PORT: String(port) });
      expect(result).toMatchObject({ code: 0, stdout: '{"answer":42}\n' });
      expect(result.stderr).toContain(`the API at ${url} is a Vigil running template health on other data; opening the data directly`);
      // An API named by VIGIL_API_URL (a remote Vigil) is the user's choice: asked as it is.
      const named = await vigil(['query', 'SELECT 40 + 2 AS answer', '--format', 'json'], { VIGIL_DATA_DIR: dataDir, VIGIL_API_URL: url });
      expect(named).toMatchObject({ code: 0, stdout: '{"answer":"not yours"}\n' });
    } finally {
      await close(other);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('query goes through the running API while Vigil holds the embedded data', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    await createTopic(`${prefix}.transactions`, 6);
    await produceWithKcat(`${prefix}.transactions`, [
      { key: 'c1', value: JSON.stringify({ transactionId: 'q-1', timestamp: new Date().toISOString(), customer: { id: 'u' }, card: { id: 'c1' }, merchant: { terminalId: 't' }, amount: { value: 5, currency: 'EUR' } }) },
    ]);
    const pipeline = await startPipeline({ templateFile: file, database: `${prefix}_cli`, services: ['detect', 'sink', 'api'] });
    try {
      await eventually(() => queryRows<{ n: number }>(pipeline.clickhouse, 'SELECT toUInt32(count()) AS n FROM finance_transactions'), (r) => r[0]!.n >= 1, 30_000, 'the event stored');
      const result = await vigil(['query', 'SELECT event_id, amount FROM finance_transactions'], {
        VIGIL_API_URL: pipeline.stages.apiUrl!,
        KAFKA_BROKERS: testBrokers().join(','),
      });
      expect(result).toMatchObject({ code: 0, stdout: 'event_id  amount\n--------  ------\nq-1       5\n' });
      // Guessed on its port, it is asked too when it reports the CLI's own data (directory and database).
      const guessed = await vigil(['query', 'SELECT event_id, amount FROM finance_transactions'], {
        VIGIL_API_PORT: new URL(pipeline.stages.apiUrl!).port,
        VIGIL_DATA_DIR: CHDB_DIR,
        CLICKHOUSE_DATABASE: `${prefix}_cli`,
        KAFKA_BROKERS: testBrokers().join(','),
      });
      expect(guessed).toMatchObject({ code: 0, stdout: 'event_id  amount\n--------  ------\nq-1       5\n', stderr: '' });
    } finally {
      await pipeline.stop();
    }
  }, 60_000);
});

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
