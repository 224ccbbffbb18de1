import { auditTopic } from './audit-record.js';
import type { Template } from './template/template.schema.js';

/**
 * The names of every topic and consumer group Vigil uses, derived from the template: one place
 * that the stages, the API, the CLI and the Kafka adapter all read.
 */

/** A topic to create at start-up when missing. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** e.g. { 'cleanup.policy': 'compact' } */
  readonly config?: Readonly<Record<string, string>>;
}

/** Consumer group of a stage: each stage of each template scales out on its own. */
export function groupId(template: Template, stage: string): string {
  return `vigil.${template.name}.${stage}`;
}

/** The detect stage's state changelog: compacted, partitioned like its input. */
export function changelogTopic(stageGroup: string): string {
  return `${stageGroup}.changelog`;
}

/** Runtime rules of a template (compacted: the latest version of each rule, tombstones delete). */
export function rulesTopic(template: Pick<Template, 'name'>): string {
  return `vigil.${template.name}.rules`;
}

const CENTURY_MS = String(100 * 365 * 86_400_000);

export function rulesTopicSpec(template: Pick<Template, 'name'>): TopicSpec {
  return { topic: rulesTopic(template), partitions: 1, config: { 'cleanup.policy': 'compact', 'delete.retention.ms': CENTURY_MS } };
}

/** Alerts that could not be delivered within the retry budget; `vigil alerts replay` reads them. */
export function alertsDeadLetterTopic(template: Template): string {
  return `${template.topics.alerts}.dlq`;
}

/**
 * Alerts waiting for a receiver that failed them to come back (circuit open or retries spent),
 * keyed by receiver; notify's retry worker reads it in its own group and sends them when a probe
 * succeeds. One partition: per-receiver order is the topic's order.
 */
export function alertsRetryTopic(template: Template): string {
  return `${template.topics.alerts}.retry`;
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

/** The consuming stages; each is one consumer group per template (groupId above). */
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
    { topic: alertsRetryTopic(template), partitions: 1 },
    { topic: silencesTopic(template), partitions: 1, config: { 'cleanup.policy': 'compact' } },
    { topic: changelogTopic(groupId(template, 'detect')), partitions, config: { 'cleanup.policy': 'compact' } },
    rulesTopicSpec(template),
    { topic: auditTopic(template), partitions: 1 },
    ...(topics.feedback === undefined ? [] : [{ topic: topics.feedback, partitions }]),
  ];
}
