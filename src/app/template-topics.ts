import type { TopicSpec } from '../kafka/kafka.types.js';
import type { Template } from '../templates/template.schema.js';

/** Alerts that could not be delivered within the retry budget; `vigil alerts replay` reads them. */
export function alertsDeadLetterTopic(template: Template): string {
  return `${template.topics.alerts}.dlq`;
}

/** Every topic a template's stages read or write, created at start-up when missing. */
export function templateTopics(template: Template): TopicSpec[] {
  const { topics } = template;
  const partitions = topics.partitions;
  return [
    { topic: topics.input, partitions },
    { topic: topics.findings, partitions },
    { topic: topics.alerts, partitions },
    { topic: topics.deadLetter, partitions },
    { topic: alertsDeadLetterTopic(template), partitions: 1 },
  ];
}
