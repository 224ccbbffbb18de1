import { auditTopic } from '../audit/audit-record.js';
import type { TopicSpec } from '../kafka/kafka.types.js';
import { changelogTopic } from '../runtime/changelog.js';
import { rulesTopicSpec } from '../rules/rule-record.js';
import type { Template } from '../templates/template.schema.js';
import { groupId } from './vigil-core.js';

/** Alerts that could not be delivered within the retry budget; `vigil alerts replay` reads them. */
export function alertsDeadLetterTopic(template: Template): string {
  return `${template.topics.alerts}.dlq`;
}

/**
 * Every alert delivery attempt, written by notify and stored by the sink in `alert_deliveries`
 * (through Kafka, so notify neither needs ClickHouse in its process nor waits on it).
 */
export function alertDeliveriesTopic(template: Template): string {
  return `${template.topics.alerts}.deliveries`;
}

/** Silences (compacted: the latest version of each, tombstones delete); written by the API, read by notify. */
export function silencesTopic(template: Template): string {
  return `${template.topics.alerts}.silences`;
}

/** Events that arrived behind the watermark by more than the allowed lateness. */
export function lateTopic(template: Template): string {
  return `${template.topics.input}.late`;
}

/** The consuming stages; each is one consumer group per template (vigil-core.ts groupId). */
export const CONSUMING_STAGES = ['detect', 'sink', 'notify'] as const;
export type ConsumingStage = (typeof CONSUMING_STAGES)[number];

/**
 * The topics each stage's consumer group reads. The sink stores every topic it reads, dead-letter
 * topics included (table dead_letters); its routes (sink-routes.ts) cover exactly these.
 */
export function stageTopics(template: Template): Record<ConsumingStage, readonly string[]> {
  const { topics } = template;
  return {
    detect: [topics.input],
    sink: [
      topics.input,
      topics.findings,
      topics.alerts,
      lateTopic(template),
      topics.deadLetter,
      alertsDeadLetterTopic(template),
      alertDeliveriesTopic(template),
      auditTopic(template),
      ...(topics.feedback === undefined ? [] : [topics.feedback]),
    ],
    notify: [topics.alerts],
  };
}

/**
 * Every topic a template's stages read or write, created at start-up when missing. The detect
 * changelog is partitioned like the input (partition p's state lives in changelog partition p) and
 * compacted, so it holds the latest value per key however long Vigil runs.
 */
export function templateTopics(template: Template): TopicSpec[] {
  const { topics } = template;
  const partitions = topics.partitions;
  return [
    { topic: topics.input, partitions },
    { topic: topics.findings, partitions },
    { topic: topics.alerts, partitions },
    { topic: topics.deadLetter, partitions },
    { topic: lateTopic(template), partitions },
    { topic: alertsDeadLetterTopic(template), partitions: 1 },
    { topic: alertDeliveriesTopic(template), partitions },
    { topic: silencesTopic(template), partitions: 1, config: { 'cleanup.policy': 'compact' } },
    { topic: changelogTopic(groupId(template, 'detect')), partitions, config: { 'cleanup.policy': 'compact' } },
    rulesTopicSpec(template),
    { topic: auditTopic(template), partitions: 1 },
    ...(topics.feedback === undefined ? [] : [{ topic: topics.feedback, partitions }]),
  ];
}
