import type { DetectorLogger } from '../model/detector.js';
import type { RuleSpec } from '../model/template/rule.schema.js';
import { VigilError } from '../errors/vigil-error.js';
import type { IncomingMessage, KafkaClient, OutgoingMessage } from '../kafka/kafka.types.js';
import type { DetectorSlot } from '../runtime/partition-runtime.js';
import { retryStart } from '../kafka/retry-start.js';
import type { Template } from '../model/template/template.schema.js';
import { RuleBook } from './rule-book.js';
import { decodeRuleRecord, deleteRecord, putRecord } from './rule-record.js';
import { rulesTopic, rulesTopicSpec } from '../model/topics.js';
import { specOf } from './rule-spec.js';

/** Applies rules-topic messages to a book; a record that is not a rule record is logged and skipped. */
export function applyMessages(book: RuleBook, messages: readonly IncomingMessage[], log: DetectorLogger): void {
  for (const message of messages) {
    let record;
    try {
      record = decodeRuleRecord(message);
    } catch (error) {
      log.warn('skipping a record of the rules topic', { reason: (error as Error).message });
      continue;
    }
    book.apply(record);
  }
}

/** The rules topic read to its end, as a book. Creates the topic when missing. */
export async function readRuleBook(kafka: KafkaClient, template: Template, log: DetectorLogger, staticSlots: readonly DetectorSlot[] = []): Promise<RuleBook> {
  const admin = await kafka.admin();
  try {
    await admin.ensureTopics([rulesTopicSpec(template)]);
  } finally {
    await admin.close();
  }
  return retryStart(async () => {
    const book = new RuleBook(template, staticSlots, log);
    await kafka.readToEnd(rulesTopic(template), [0], (_partition, messages) => applyMessages(book, messages, log));
    return book;
  });
}

/**
 * Writes the template's rules the topic never had (no record and no deletion) at version 1. Two
 * instances seeding at once write the same rule twice, which is harmless: same id, same content.
 */
export async function seedTemplateRules(kafka: KafkaClient, template: Template, book: RuleBook): Promise<string[]> {
  const missing = template.rules.filter((rule) => book.lastVersion(rule.id) === 0);
  if (missing.length === 0) return [];
  const topic = rulesTopic(template);
  const producer = await kafka.producer();
  try {
    await producer.send(missing.map((rule) => putRecord(topic, specOf(rule), 1)));
  } finally {
    await producer.close();
  }
  return missing.map((rule) => rule.id);
}

/** Puts a validated rule at the next version; returns that version. */
export async function putRule(kafka: KafkaClient, template: Template, spec: RuleSpec, log: DetectorLogger): Promise<number> {
  const book = await readRuleBook(kafka, template, log);
  const version = book.lastVersion(spec.id) + 1;
  const { version: _ignored, ...written } = spec;
  await send(kafka, putRecord(rulesTopic(template), written, version));
  return version;
}

/** Deletes a rule in force; returns the version of the deletion. */
export async function deleteRule(kafka: KafkaClient, template: Template, id: string, log: DetectorLogger): Promise<number> {
  const book = await readRuleBook(kafka, template, log);
  if (!book.rules().some((active) => active.rule.id === id)) {
    const known = book.rules().map((active) => active.rule.id);
    throw new VigilError('VIGIL_RULE_NOT_FOUND', `no rule "${id}" in ${rulesTopic(template)}; rules: ${known.length > 0 ? known.join(', ') : '(none)'}`);
  }
  const version = book.lastVersion(id) + 1;
  await send(kafka, deleteRecord(rulesTopic(template), id, version));
  return version;
}

async function send(kafka: KafkaClient, message: OutgoingMessage): Promise<void> {
  const producer = await kafka.producer();
  try {
    await producer.send([message]);
  } finally {
    await producer.close();
  }
}
