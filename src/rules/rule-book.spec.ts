import { testEvent } from '../runtime/testing/detector-test-context.js';
import { ruleSchema } from '../model/template/rule.schema.js';
import { PartitionRuntime } from '../runtime/partition-runtime.js';
import { testTemplate } from '../sink/testing/test-template.js';
import { RuleBook } from './rule-book.js';
import type { RuleRecord } from './rule-record.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const template = testTemplate();
const warnings: string[] = [];
const log = { debug: () => undefined, info: () => undefined, warn: (message: string) => void warnings.push(message) };
const spec = { id: 'busy_card', key: 'card', aggregate: 'count', window: '10m', operator: '>', limit: 2 };
let offset = 0;
const put = (version: number, changes: Record<string, unknown> = {}): RuleRecord => ({ id: 'busy_card', version, spec: { ...spec, ...changes, version }, offset: String(offset++) });
const remove = (version: number): RuleRecord => ({ id: 'busy_card', version, spec: null, offset: String(offset++) });
const tx = (minute: number, card = 'c1') => testEvent(T0 + minute * MINUTE, { tx_id: `t${minute}`, card, ts: T0 + minute * MINUTE, amount: 5 }, card);

function setup() {
  const book = new RuleBook(template, [], log);
  const runtime = new PartitionRuntime(template, book.slots(), log);
  const sync = () => {
    if (book.takeChange()) runtime.updateSlots(book.slots());
  };
  const findings = (minute: number) => runtime.process(tx(minute)).findings;
  return { book, runtime, sync, findings };
}

describe('rules at runtime', () => {
  beforeEach(() => (warnings.length = 0));

  it('runs a rule as a detector whose findings name the rule id, type rule and version', () => {
    const { book, sync, findings } = setup();
    book.apply(put(1));
    sync();
    findings(0);
    findings(1);
    expect(findings(2)).toMatchObject([{ detector: 'busy_card', detector_type: 'rule', detector_version: '1', kind: 'rule.count', values: { count: 3 } }]);
  });

  it('a new version with another limit keeps the running windows and names the new version', () => {
    const { book, sync, findings } = setup();
    book.apply(put(1, { limit: 5 }));
    sync();
    for (const m of [0, 1, 2]) expect(findings(m)).toEqual([]);
    book.apply(put(2, { limit: 3 }));
    sync();
    // The three events before the change still count: the fourth breaches the new limit.
    expect(findings(3)).toMatchObject([{ detector_version: '2', values: { count: 4 }, thresholds: { limit: 3 } }]);
  });

  it('a new version aggregating something else starts from empty windows and drops the old state', () => {
    const { book, runtime, sync, findings } = setup();
    book.apply(put(1, { limit: 5 }));
    sync();
    for (const m of [0, 1, 2]) findings(m);
    runtime.drainChanges();
    book.apply(put(2, { window: '20m' }));
    sync();
    // The old version's store is dropped and the new one has not seen c1 yet: no store holds it.
    const dropped = runtime.drainChanges().filter((c) => c.kind === 'entity');
    expect(dropped).toEqual([{ kind: 'entity', key: 'c1', values: null }]);
    expect(findings(3)).toEqual([]);
    expect(findings(4)).toEqual([]);
    expect(findings(5)).toMatchObject([{ detector_version: '2', values: { count: 3 } }]);
  });

  it('a deletion stops the rule and deletes its state; a put after it continues the versions', () => {
    const { book, runtime, sync, findings } = setup();
    book.apply(put(1));
    sync();
    findings(0);
    runtime.drainChanges();
    book.apply(remove(2));
    sync();
    expect(runtime.drainChanges().filter((c) => c.kind === 'entity')).toEqual([{ kind: 'entity', key: 'c1', values: null }]);
    for (const m of [1, 2, 3, 4]) expect(findings(m)).toEqual([]);
    expect(runtime.state.keyCount()).toBe(0);
    expect(book.lastVersion('busy_card')).toBe(2);
    expect(book.rules()).toEqual([]);
  });

  it('ignores invalid and outdated records: the rule keeps the version in force', () => {
    const { book, sync, findings } = setup();
    book.apply(put(2));
    book.apply(put(3, { window: 'ten minutes' }));
    book.apply(put(1, { limit: 100 }));
    sync();
    expect(warnings).toEqual(['ignoring an invalid rules record; the rule keeps its previous version', 'ignoring a rules record older than the version in force']);
    expect(book.rules().map((r) => r.version)).toEqual([2]);
    findings(0);
    findings(1);
    expect(findings(2)).toMatchObject([{ detector_version: '2' }]);
  });

  it('a disabled rule runs no detector but stays listed', () => {
    const { book, sync, findings } = setup();
    book.apply(put(1, { enabled: false }));
    sync();
    for (const m of [0, 1, 2, 3]) expect(findings(m)).toEqual([]);
    expect(book.slots()).toEqual([]);
    expect(book.rules()).toHaveLength(1);
  });

  it('a seeded book holds the template rules at version 1, after the template detectors', () => {
    const withRules = testTemplate();
    const rules = [ruleSchema.parse(spec), ruleSchema.parse({ ...spec, id: 'big_sum', aggregate: 'sum', field: 'amount', window: '90s' })];
    const book = RuleBook.seeded({ ...withRules, rules }, [], log);
    expect(book.slots().map((slot) => `${slot.id}@${slot.version}`)).toEqual(['busy_card@1', 'big_sum@1']);
    expect(book.rules().map((r) => r.spec)).toMatchObject([{ window: '10m' }, { window: '90s', field: 'amount' }]);
  });

  it('drops restored state of a rule deleted while the partition was elsewhere', () => {
    const { book, runtime, sync, findings } = setup();
    book.apply(put(1));
    sync();
    findings(0);
    const changelog = runtime.drainChanges();
    const later = new PartitionRuntime(template, [], log);
    for (const record of changelog) later.restore(record);
    expect(later.state.keyCount()).toBe(1);
    expect(later.prune()).toBe(1);
    expect(later.state.keyCount()).toBe(0);
    expect(later.drainChanges().filter((c) => c.kind === 'entity')).toMatchObject([{ key: 'c1', values: null }]);
  });
});
