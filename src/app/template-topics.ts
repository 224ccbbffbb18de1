import type { TopicSpec } from '../kafka/kafka.types.js';
import { changelogTopic } from '../runtime/changelog.js';
import type { Template } from '../templates/template.schema.js';
import { groupId } from './vigil-core.js';

/** Alerts that could not be delivered within the retry budget; `vigil alerts replay` reads them. */
export function alertsDeadLetterTopic(template: Template): string {
  return `${template.topics.alerts}.dlq`;
}

/** Events that arrived behind the watermark by more than the allowed lateness. */
export function lateTopic(template: Template): string {
  return `${template.topics.input}.late`;
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
    { topic: changelogTopic(groupId(template, 'detect')), partitions, config: { 'cleanup.policy': 'compact' } },
    ...(topics.feedback === undefined ? [] : [{ topic: topics.feedback, partitions }]),
  ];
}
