import { parseRule } from '../detectors/rule/rule.checks.js';
import { ruleDetector } from '../detectors/rule/rule.detector.js';
import type { Rule } from '../model/template/rule.schema.js';
import type { DetectorLogger } from '../model/detector.js';
import type { DetectorSlot } from '../runtime/partition-runtime.js';
import type { Template } from '../model/template/template.schema.js';
import { renderProblem } from '../model/template/template-problems.js';
import type { RuleRecord } from './rule-record.js';
import { specOf } from './rule-spec.js';

export interface ActiveRule {
  readonly rule: Rule;
  readonly version: number;
  readonly spec: unknown;
}

/**
 * The rules in force for one template, as read from its rules topic, and the detector slots they
 * make: the template's detectors first, then one `rule` slot per enabled rule. A slot object is
 * kept while its rule's version is unchanged, so the runtime keeps that rule's instance.
 *
 * A record that fails validation (someone produced to the topic by hand) is logged and ignored:
 * the rule keeps its previous version. An older version than the one in force is ignored too.
 */
export class RuleBook {
  private readonly active = new Map<string, ActiveRule & { slot: DetectorSlot }>();
  /** Last version seen per id, including deletions. */
  private readonly versions = new Map<string, number>();
  private changed = true;
  private cached: DetectorSlot[] | undefined;

  constructor(
    private readonly template: Template,
    private readonly staticSlots: readonly DetectorSlot[],
    private readonly log: DetectorLogger,
  ) {}

  /**
   * A book holding the template's rules at version 1: what a rules topic holds right after seeding,
   * e.g. to compute offline the findings a fresh pipeline gives.
   */
  static seeded(template: Template, staticSlots: readonly DetectorSlot[], log: DetectorLogger): RuleBook {
    const book = new RuleBook(template, staticSlots, log);
    template.rules.forEach((rule, index) => book.apply({ id: rule.id, version: 1, spec: { ...specOf(rule), version: 1 }, offset: `template:${index}` }));
    return book;
  }

  apply(record: RuleRecord): void {
    const known = this.versions.get(record.id) ?? 0;
    if (record.version !== 0 && record.version <= known) {
      this.log.warn('ignoring a rules record older than the version in force', { rule: record.id, version: record.version, current: known });
      return;
    }
    if (record.spec === null) {
      this.versions.set(record.id, Math.max(known, record.version));
      if (this.active.delete(record.id)) {
        this.changed = true;
        this.cached = undefined;
        this.log.info('rule deleted', { rule: record.id, version: record.version });
      }
      return;
    }
    const parsed = parseRule(record.spec, this.template, `rule ${record.id}`);
    if (parsed.problems) {
      this.log.warn('ignoring an invalid rules record; the rule keeps its previous version', {
        rule: record.id,
        version: record.version,
        offset: record.offset,
        problems: parsed.problems.map((problem) => renderProblem('rules topic', problem)),
      });
      return;
    }
    this.versions.set(record.id, record.version);
    const slot: DetectorSlot = { id: record.id, definition: ruleDetector, params: parsed.rule, version: String(record.version) };
    this.active.set(record.id, { rule: parsed.rule, version: record.version, spec: record.spec, slot });
    this.changed = true;
    this.cached = undefined;
    this.log.info('rule in force', { rule: record.id, version: record.version, enabled: parsed.rule.enabled });
  }

  /** True once after the rules changed; the caller then passes `slots()` to the runtime. */
  takeChange(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  slots(): DetectorSlot[] {
    this.cached ??= [...this.staticSlots, ...[...this.active.values()].filter((a) => a.rule.enabled).map((a) => a.slot)];
    return this.cached;
  }

  rules(): ActiveRule[] {
    return [...this.active.values()].map(({ rule, version, spec }) => ({ rule, version, spec }));
  }

  /** The last version of a rule, 0 when the topic never had it; deletions count. */
  lastVersion(id: string): number {
    return this.versions.get(id) ?? 0;
  }
}
