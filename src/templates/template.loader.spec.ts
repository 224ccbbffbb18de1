import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defineDetector, type DetectorDefinition } from '../model/detector.js';
import { isVigilError } from '../errors/vigil-error.js';
import { SEVERITIES } from '../model/records.js';
import { duration } from '../model/template/duration.js';
import { type DetectorLookup, loadTemplate } from './template.loader.js';
import { builtInDetectors, builtInGenerators, builtIns } from '../domains/domains.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const financeFile = path.join(root, 'templates/finance/template.yaml');
const fixture = (name: string): string => path.join(root, 'test/fixtures/templates', name);
/** Messages name the file relative to the working directory. */
const shown = (name: string): string => path.relative(process.cwd(), fixture(name));

/** A stand-in for the built-in velocity detector, with the same param names. */
const velocityParams = z.strictObject({
  key: z.string().min(1),
  window: duration,
  maxCount: z.number().int().min(1),
  maxAmount: z.number().positive().optional(),
  amountField: z.string().min(1).default('amount'),
  severity: z.enum(SEVERITIES).default('high'),
});
const velocity = defineDetector({
  meta: {
    name: 'velocity',
    version: '1',
    description: 'test double',
    params: velocityParams,
    requiredFields: (params) => (params.maxAmount === undefined ? [params.key] : [params.key, params.amountField]),
    stateTtl: (params) => params.window,
  },
  create: () => ({ process: () => undefined }),
});
/** The velocity double, and the real built-ins for every other type the finance template uses. */
const builtIn = builtInDetectors();
const generators = builtInGenerators();
const detectors: DetectorLookup = {
  get: (type) => (type === 'velocity' ? (velocity as DetectorDefinition<unknown>) : builtIn.get(type)),
  names: () => builtIn.names(),
};

async function problems(file: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadTemplate(file, { env, detectors, generators });
  } catch (error) {
    expect(isVigilError(error, 'VIGIL_TEMPLATE_INVALID')).toBe(true);
    return (error as Error).message.split('\n');
  }
  throw new Error(`expected ${file} to be invalid`);
}

describe('loadTemplate: the finance template', () => {
  it('loads, with durations in ms and detector params parsed by the detector schema', async () => {
    const loaded = await loadTemplate(financeFile, { env: {}, detectors, generators });
    const { template } = loaded;
    expect(loaded.file).toBe(financeFile);
    expect(template.name).toBe('finance');
    expect(template.topics).toEqual({
      input: 'vigil.finance.transactions',
      findings: 'vigil.finance.findings',
      alerts: 'vigil.finance.alerts',
      deadLetter: 'vigil.finance.transactions.dlq',
      feedback: 'vigil.finance.feedback',
      partitions: 6,
    });
    expect(template.event).toMatchObject({ time: 'ts', key: 'card_id', id: 'tx_id', maxOutOfOrderness: 30_000 });
    expect(template.event.fields.card_id).toEqual(
      expect.objectContaining({ from: 'card.id', type: 'string', required: true }),
    );
    expect(template.event.fields.tx_id?.from).toBe('transactionId');
    expect(template.tables).toMatchObject({ events: 'finance_transactions', ttl: 90 * 86_400_000 });
    expect(Object.keys(template.tables.views)).toEqual([
      'finance_label_verdicts',
      'finance_risk_by_card',
      'finance_risk_by_terminal',
      'finance_risk_by_merchant',
      'finance_alert_outcomes',
    ]);
    expect(template.rules.map((rule) => rule.id)).toEqual(['ecom_spend_1h', 'terminal_burst_1m']);
    expect(loaded.detectors[0]).toEqual({
      id: 'card_velocity',
      definition: velocity,
      params: { key: 'card_id', window: 600_000, maxCount: 6, maxAmount: 3000, amountField: 'amount', severity: 'high' },
    });
    expect(loaded.detectors.find((d) => d.id === 'terminal_risk')?.params).toMatchObject({ window: 37 * 86_400_000, signalWindows: [8 * 86_400_000, 14 * 86_400_000] });
    expect(template.backtest?.mappings.handbook).toMatchObject({ timeZone: 'UTC', label: 'TX_FRAUD', constants: { currency: 'EUR' } });
    expect(template.alerts.minSeverity).toBe('high');
    expect(template.alerts.routes).toEqual([{ receiver: 'ops', match: { severity: ['high', 'critical'] } }]);
    expect(template.simulator).toMatchObject({ generator: 'finance', rate: 200, seed: 42 });
  });

  it('uses the dev-only webhook defaults when the environment does not set them', async () => {
    const { template } = await loadTemplate(financeFile, { env: {}, detectors, generators });
    const ops = template.alerts.receivers[0]!;
    if (ops.type !== 'webhook') throw new Error('the finance template sends to a webhook');
    expect(ops.url).toBe('http://127.0.0.1:4000/alerts');
    expect(ops.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(ops.timeout).toBe(5_000);
  });

  it('takes the webhook url and secret from the environment', async () => {
    const env = { VIGIL_WEBHOOK_URL: 'https://alerts.example.com/hook', VIGIL_WEBHOOK_SECRET: 'whsec_c2VjcmV0' };
    const { template } = await loadTemplate(financeFile, { env, detectors, generators });
    expect(template.alerts.receivers[0]).toMatchObject({ url: 'https://alerts.example.com/hook', secret: 'whsec_c2VjcmV0' });
  });

  it('loads with the built-in detector registry too', async () => {
    const loaded = await loadTemplate(financeFile, { env: {}, ...builtIns() });
    expect(loaded.detectors.map((detector) => detector.definition.meta.name)).toEqual(['velocity', 'amount_deviation', 'label_risk', 'card_testing', 'impossible_travel', 'risk_score']);
  });
});

describe('loadTemplate: good fixtures', () => {
  it('loads the minimal fixture, resolving a relative path', async () => {
    const loaded = await loadTemplate(path.relative(process.cwd(), fixture('valid-minimal.yaml')), { env: {}, detectors, generators });
    expect(loaded.file).toBe(fixture('valid-minimal.yaml'));
    expect(loaded.detectors[0]?.params).toMatchObject({ key: 'card_id', window: 600_000, maxCount: 6 });
  });

  it('loads a user detector module relative to the template; disabled instances are checked, not run', async () => {
    const loaded = await loadTemplate(fixture('file-detector.yaml'), { env: {}, detectors, generators });
    expect(loaded.detectors).toHaveLength(1);
    const [detector] = loaded.detectors;
    expect(detector?.id).toBe('big_amount');
    expect(detector?.definition.meta.name).toBe('big-amount');
    expect(detector?.params).toEqual({ limit: 1000, field: 'amount' });
  });
});

describe('loadTemplate: bad fixtures, with exact messages', () => {
  it('bad duration', async () => {
    expect(await problems(fixture('bad-duration.yaml'))).toEqual([
      `${shown('bad-duration.yaml')}: detectors[0].params.window: expected duration like "5m", got "5 minutes"`,
    ]);
  });

  it('unknown detector type', async () => {
    expect(await problems(fixture('unknown-detector.yaml'))).toEqual([
      `${shown('unknown-detector.yaml')}: detectors[0].type: unknown detector type "velocty"; known: amount_deviation, card_testing, deterioration_trend, emerging_terms, file, first_seen, impossible_travel, label_risk, news2, risk_score, sentiment_shift, sepsis_risk, trending_terms, velocity, vital_baseline, volume_anomaly`,
    ]);
  });

  it('rules: written as a detector, duplicate, reading unknown or non-numeric fields, versioned by hand, clashing with a detector; a view named like a table', async () => {
    const at = shown('rule-problems.yaml');
    expect(await problems(fixture('rule-problems.yaml'))).toEqual([
      `${at}: detectors[1].type: declarative rules go under \`rules:\`, not \`detectors:\` (see the README, "Rules")`,
      `${at}: rules[0].field: aggregate "sum" needs a number field; "channel" has type string`,
      `${at}: rules[1].id: duplicate rule id "spend" (also rules[0])`,
      `${at}: rules[1].version: set by the rules topic (template rules seed it at version 1); remove it`,
      `${at}: rules[1].key: "card" is not a field in event.fields (did you mean "card_id"?)`,
      `${at}: rules[2].filter[0].field: "chanel" is not a field in event.fields (did you mean "channel"?)`,
      `${at}: rules[2].id: "velocity" is already a detector id; findings name rules and detectors alike, so ids must differ`,
      `${at}: tables.views.findings: "findings" is already a table; choose another view name`,
      `${at}: tables.views.audit_log: "audit_log" is already a table; choose another view name`,
    ]);
  });

  it('fields a detector reads that are not in event.fields', async () => {
    expect(await problems(fixture('missing-required-field.yaml'))).toEqual([
      `${shown('missing-required-field.yaml')}: detectors[0].params.key: detector "velocity" reads field "card", which is not in event.fields (did you mean "card_id"?)`,
      `${shown('missing-required-field.yaml')}: detectors[0]: detector "velocity" reads field "amount", which is not in event.fields`,
    ]);
  });

  it('route to an unknown receiver', async () => {
    expect(await problems(fixture('unknown-receiver.yaml'))).toEqual([
      `${shown('unknown-receiver.yaml')}: alerts.routes[0].receiver: unknown receiver "pager"; known: ops`,
    ]);
  });

  it('event time field that is not a timestamp', async () => {
    expect(await problems(fixture('time-not-timestamp.yaml'))).toEqual([
      `${shown('time-not-timestamp.yaml')}: event.time: field "ts" has type number; the event-time field must have type timestamp`,
    ]);
  });

  it('an unknown source format, and pseudonymised fields without a key or of another type than string', async () => {
    const file = shown('format-problems.yaml');
    expect(await problems(fixture('format-problems.yaml'))).toEqual([
      `${file}: event.fields.amount.pseudonymize: only string fields can be pseudonymized; "amount" has type number`,
      `${file}: event.pseudonymKey: required: card_id, amount are marked pseudonymize`,
      `${file}: event.format: unknown source format "fhir-observashun"; known: json`,
    ]);
  });

  it('YAML syntax error, with line and column', async () => {
    expect(await problems(fixture('yaml-syntax.yaml'))).toEqual([
      `${shown('yaml-syntax.yaml')}:19:5: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
  });

  it('missing environment variable', async () => {
    expect(await problems(fixture('missing-env.yaml'))).toEqual([
      `${shown('missing-env.yaml')}: alerts.receivers[0].secret: environment variable FIXTURE_WEBHOOK_SECRET is not set and has no default (write \${FIXTURE_WEBHOOK_SECRET:-default} to give one)`,
    ]);
    await expect(loadTemplate(fixture('missing-env.yaml'), { env: { FIXTURE_WEBHOOK_SECRET: 'whsec_eA==' }, detectors, generators })).resolves.toBeDefined();
  });

  it('unknown key (typo), with a suggestion', async () => {
    expect(await problems(fixture('unknown-key.yaml'))).toEqual([
      `${shown('unknown-key.yaml')}: alerts: unknown key "minSeverty" (did you mean "minSeverity"?)`,
    ]);
  });

  it('lists every schema problem, not just the first', async () => {
    const file = shown('schema-problems.yaml');
    expect(await problems(fixture('schema-problems.yaml'))).toEqual([
      `${file}: version: expected a number, got "one"`,
      `${file}: domain: expected one of finance, health, social, custom, got "banking"`,
      `${file}: topics.deadLetter: required`,
      `${file}: alerts.receivers[0].url: expected an http(s) URL, got "ftp://example.com/alerts"`,
    ]);
  });

  it('lists every cross-field problem, not just the first', async () => {
    const file = shown('cross-field-problems.yaml');
    expect(await problems(fixture('cross-field-problems.yaml'))).toEqual([
      `${file}: topics.alerts: same topic as topics.findings ("fixture.findings"); each role needs its own topic`,
      `${file}: event.key: "card" is not a field in event.fields (did you mean "card_id"?)`,
      `${file}: detectors[1].id: duplicate detector id "velocity" (also detectors[0])`,
      `${file}: alerts.receivers[0].fallback: unknown receiver "pager"; known: chat, ops`,
      `${file}: alerts.receivers[1].fallback: a receiver cannot be its own fallback`,
      `${file}: alerts.routes[0].match.detector[1]: unknown detector id "geo"; known: velocity`,
    ]);
  });

  it('alert receivers and routes that cannot be used', async () => {
    const file = shown('bad-receivers.yaml');
    expect(await problems(fixture('bad-receivers.yaml'))).toEqual([
      `${file}: alerts.receivers[0].type: expected one of webhook, slack, pagerduty`,
      `${file}: alerts.receivers[1].routingKey: expected a non-empty string`,
      `${file}: alerts.receivers[2].rateLimit.max: expected a number >= 1, got 0`,
      `${file}: alerts.routes[0].groupBy[0]: expected one of template, detector, detector_type, entity, severity, kind, fingerprint, got "colour"`,
      `${file}: alerts.routes[0].groupWait: expected duration like "5m", got "soon"`,
    ]);
  });

  it('user detector modules that cannot be used', async () => {
    const file = shown('bad-modules.yaml');
    const lines = await problems(fixture('bad-modules.yaml'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${file}: detectors[0].module: required when type is "file"`);
    expect(lines[1]).toBe(
      `${file}: detectors[1].module: "./detectors/not-a-detector.ts" does not export a detector (expected a default export or an export named "detector" with meta and create)`,
    );
    expect(lines[2]).toMatch(new RegExp(`^${escape(file)}: detectors\\[2\\]\\.module: cannot load "\\./detectors/missing\\.js": .*missing\\.js`));
    expect(lines[3]).toBe(`${file}: detectors[3].module: only allowed with type "file"`);
  });

  it('a missing file is VIGIL_TEMPLATE_NOT_FOUND', async () => {
    const error: unknown = await loadTemplate(fixture('no-such.yaml'), { env: {}, detectors, generators }).catch((e: unknown) => e);
    expect(isVigilError(error, 'VIGIL_TEMPLATE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^template not found: ${escape(shown('no-such.yaml'))} `));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('loadTemplate: simulator section', () => {
  it('checks params with the generator schema', async () => {
    const file = shown('bad-simulator.yaml');
    expect(await problems(fixture('bad-simulator.yaml'))).toEqual([
      `${file}: simulator.params.customers: expected a number >= 1, got 0`,
      `${file}: simulator.params.burstSpan: expected duration like "5m", got "soon"`,
      `${file}: simulator.params: unknown key "burstProbablity" (did you mean "burstProbability"?)`,
    ]);
  });

  it('names the known generators', async () => {
    expect(await problems(fixture('unknown-generator.yaml'))).toEqual([
      `${shown('unknown-generator.yaml')}: simulator.generator: unknown generator "banking"; known: finance, health, social`,
    ]);
  });
});
