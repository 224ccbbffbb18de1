import type { IncomingMessage, OutgoingMessage } from '../kafka/kafka.types.js';
import type { RuleSpec } from '../model/template/rule.schema.js';
import { internalizeStrings } from '../model/internalized.js';

/**
 * The rules topic `vigil.<template>.rules`: compacted, one partition, key = rule id, value = the rule
 * as written (JSON) with its `version`; a tombstone deletes and carries the version it was deleted
 * at in a header, so a rule put again after a delete continues from there. Tombstones are kept for
 * good (delete.retention.ms), otherwise a deleted template rule would be seeded again once
 * compaction removed its tombstone.
 */
export const RULE_VERSION_HEADER = 'vigil-rule-version';

/** One record of the rules topic: a rule put at `version`, or deleted (`spec` null). */
export interface RuleRecord {
  readonly id: string;
  readonly version: number;
  /** Unvalidated: the topic may hold anything a producer wrote. */
  readonly spec: unknown;
  readonly offset: string;
}

export function putRecord(topic: string, spec: RuleSpec, version: number): OutgoingMessage {
  return { topic, key: spec.id, value: JSON.stringify({ ...spec, version }), headers: { [RULE_VERSION_HEADER]: String(version) } };
}

export function deleteRecord(topic: string, id: string, version: number): OutgoingMessage {
  return { topic, key: id, value: null, headers: { [RULE_VERSION_HEADER]: String(version) } };
}

/** Decodes a message of the rules topic; throws with the reason when it is not a rule record. */
export function decodeRuleRecord(message: IncomingMessage): RuleRecord {
  const id = message.key?.toString('utf8');
  if (!id) throw new Error(`rules record at offset ${message.offset} has no key (the rule id)`);
  if (message.value === null) {
    return { id, version: Number(message.headers[RULE_VERSION_HEADER] ?? 0) || 0, spec: null, offset: message.offset };
  }
  let spec: unknown;
  try {
    // A rule's field names become property keys read per event: see internalized.ts.
    spec = internalizeStrings(JSON.parse(message.value.toString('utf8')));
  } catch {
    throw new Error(`rules record "${id}" at offset ${message.offset} is not JSON`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error(`rules record "${id}" at offset ${message.offset} is not a JSON object`);
  const { version, id: innerId } = spec as { version?: unknown; id?: unknown };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`rules record "${id}" at offset ${message.offset} has no valid version`);
  }
  if (innerId !== id) throw new Error(`rules record key "${id}" differs from its id ${JSON.stringify(innerId)}`);
  return { id, version, spec, offset: message.offset };
}
