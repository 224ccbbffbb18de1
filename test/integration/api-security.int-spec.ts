import { isolatedFinanceTemplate, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const VIEWER = 'viewer-token-0123456789abcdef';
const OPERATOR = 'operator-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const TOKENS = `grafana:viewer:${VIEWER},oncall:operator:${OPERATOR},ci:admin:${ADMIN}`;

describe('HTTP API: bearer tokens, roles, query guards, limits', () => {
  let pipeline: RunningPipeline | undefined;
  let base = '';
  let templateName = '';

  beforeAll(async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    templateName = name;
    pipeline = await startPipeline({
      templateFile: file,
      database: `${prefix}_api_security`,
      services: ['api', 'sink'],
      env: { VIGIL_API_TOKENS: TOKENS, VIGIL_API_RATE_LIMIT: '40', VIGIL_API_BODY_LIMIT: '4096' },
    });
    base = pipeline.stages.apiUrl!;
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
  }, 60_000);

  async function waitForRows<T>(sql: string, count: number): Promise<T[]> {
    for (let i = 0; ; i += 1) {
      const rows = await (await pipeline!.clickhouse.query({ query: sql, format: 'JSONEachRow' })).json<T>();
      if (rows.length >= count || i >= 150) return rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const call = (path: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(init.headers ?? {}) },
    });
  const query = (sql: string, token = VIEWER) => call('/query', token, { method: 'POST', body: JSON.stringify({ sql }) });
  const rule = { key: 'terminal_id', aggregate: 'max', field: 'amount', window: '10m', operator: '>=', limit: 5000 };
  const silence = { matchers: [{ name: 'entity', value: 'card_1' }], starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-01-02T00:00:00Z', comment: 'test' };

  it('answers 401 without a token or with a wrong one, and leaves /health open', async () => {
    expect((await call('/status', undefined)).status).toBe(401);
    expect((await call('/status', 'not-a-configured-token-at-all')).status).toBe(401);
    expect((await call('/status', undefined, { headers: { authorization: `Basic ${ADMIN}` } })).status).toBe(401);
    expect((await query('SELECT 1', 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await call('/metrics', undefined)).status).toBe(401);
    const health = await call('/health', undefined);
    expect([200, 503]).toContain(health.status);
  });

  it('lets a viewer read but not silence or change rules', async () => {
    expect((await call('/status', VIEWER)).status).toBe(200);
    expect((await call('/templates', VIEWER)).status).toBe(200);
    expect((await call('/metrics', VIEWER)).status).toBe(200);
    expect((await query('SELECT 1 AS one')).status).toBe(200);
    const put = await call(`/templates/${templateName}/rules/viewer_rule`, VIEWER, { method: 'PUT', body: JSON.stringify(rule) });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ message: expect.stringContaining('admin') });
    expect((await call('/silences', VIEWER, { method: 'POST', body: JSON.stringify(silence) })).status).toBe(403);
  });

  it('lets an operator silence but not change rules, and an admin change rules', async () => {
    expect((await call(`/templates/${templateName}/rules/op_rule`, OPERATOR, { method: 'PUT', body: JSON.stringify(rule) })).status).toBe(403);
    const created = await call('/silences', OPERATOR, { method: 'POST', body: JSON.stringify(silence) });
    expect(created.status).toBe(201);
    const put = await call(`/templates/${templateName}/rules/admin_rule`, ADMIN, { method: 'PUT', body: JSON.stringify(rule) });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ id: 'admin_rule', version: 1 });

    // Every change is in the audit table with the token's name, what changed and how.
    const audit = await waitForRows<{ actor: string; role: string; action: string; target: string; before: string; after: string }>(
      "SELECT actor, role, action, target, before, after FROM audit_log WHERE action IN ('rule.put', 'silence.create') ORDER BY time",
      2,
    );
    expect(audit.map(({ actor, role, action, target }) => ({ actor, role, action, target }))).toEqual([
      { actor: 'oncall', role: 'operator', action: 'silence.create', target: expect.stringMatching(/^sil_/) },
      { actor: 'ci', role: 'admin', action: 'rule.put', target: 'admin_rule' },
    ]);
    expect(audit[1]!.before).toBe('');
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ id: 'admin_rule', limit: 5000, version: 1 });
    for (const row of audit) for (const secret of [VIEWER, OPERATOR, ADMIN]) expect(JSON.stringify(row)).not.toContain(secret);
  }, 60_000);

  it.each([
    ["SELECT * FROM file('/etc/passwd')"],
    ["SELECT * FROM url('http://127.0.0.1:1/x', 'CSV', 'a String')"],
    ['SELECT 1 SETTINGS readonly=0'],
    ['SELECT 1 SETTINGS max_execution_time=100000'],
    ['SELECT 1; SELECT 2'],
    ['SELECT 1 /* hidden */; DROP TABLE findings'],
    ['SELECT 1 -- comment\n; SELECT 2'],
    ['DROP TABLE findings'],
    ["INSERT INTO findings SELECT * FROM findings"],
    ["SELECT * FROM remote('127.0.0.1', system.one)"],
  ])('refuses %s with a 4xx and no data', async (sql) => {
    const response = await query(sql, ADMIN);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { rows?: unknown };
    expect(body.rows).toBeUndefined();
  });

  it('stops a query that breaks a ClickHouse limit with a 4xx naming it', async () => {
    const response = await query('SELECT groupArray(number) FROM numbers(1000000000)', ADMIN);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'VIGIL_QUERY_LIMIT', message: expect.stringMatching(/max_memory_usage|max_execution_time/) });
  }, 60_000);

  it('answers 413 to a body over the limit', async () => {
    const response = await query(`SELECT '${'x'.repeat(8192)}'`, ADMIN);
    expect(response.status).toBe(413);
  });

  it('answers 429 once a token passes its rate, without slowing other tokens', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i += 1) {
      const response = await call('/status', OPERATOR);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await call('/health', undefined)).status).not.toBe(429);
  });
});
