import { fingerprint } from '../../model/alert-fingerprint.js';
import { describeError, isVigilError, VigilError } from '../../errors/vigil-error.js';
import type { IncomingMessage, MessageBatch, OutgoingMessage } from '../../kafka/kafka.types.js';
import { lateTopic } from '../../model/topics.js';
import { groupId } from '../../model/topics.js';
import { encodeRecord } from '../../runtime/changelog.js';
import { changelogTopic } from '../../model/topics.js';
import type { Template } from '../../model/template/template.schema.js';
import { deadLetter, withSource } from '../../kafka/dead-letter.js';
import { EventDecoder } from '../../runtime/event-decoder.js';
import type { SourceFormat } from '../../model/source-format.js';
import type { FeedbackBuffer } from '../../runtime/feedback-buffer.js';
import { stableId } from '../../model/finding-id.js';
import { PartitionRuntime, type DetectorFailure, type DetectorSlot } from '../../runtime/partition-runtime.js';
import { severityRank, type Alert, type Finding } from '../../model/records.js';
import type { DetectorLogger } from '../../model/detector.js';

export interface DetectOutput {
  /** Findings, alerts, dead letters and late events in the order they arose, then state changes. */
  messages: OutgoingMessage[];
  events: number;
  late: number;
  findings: Finding[];
  alerts: Alert[];
  deadLetters: { code: string; detector?: string }[];
}

/**
 * The detect stage without Kafka: a batch of input messages in, the messages to produce out.
 * One PartitionRuntime per input partition, created on first use and dropped on revocation,
 * so state follows partition ownership.
 */
export class DetectProcessor {
  private readonly decoder: EventDecoder;
  private readonly runtimes = new Map<number, PartitionRuntime>();
  private readonly minSeverity: number;
  private readonly lateTopic: string;
  private readonly changelog: string;

  constructor(
    private readonly template: Template,
    private slots: readonly DetectorSlot[],
    private readonly log: DetectorLogger,
    private readonly clock: () => number = Date.now,
    /** Fraud labels for `onFeedback`, when the template has a feedback topic. */
    private readonly feedback?: FeedbackBuffer,
    /** The template's source format (LoadedTemplate.format). */
    format?: SourceFormat,
  ) {
    this.decoder = new EventDecoder(template, format);
    this.minSeverity = severityRank(template.alerts.minSeverity);
    this.lateTopic = lateTopic(template);
    this.changelog = changelogTopic(groupId(template, 'detect'));
  }

  /** Replaces a partition's runtime with an empty one, for a ChangelogRestorer to fill. */
  fresh(partition: number): PartitionRuntime {
    const runtime = this.create();
    this.runtimes.set(partition, runtime);
    return runtime;
  }

  private create(): PartitionRuntime {
    const runtime = new PartitionRuntime(this.template, this.slots, this.log);
    if (this.feedback) runtime.useFeedback(this.feedback);
    return runtime;
  }

  /** The runtimes held now (partitions owned), e.g. to see which labels they all passed. */
  heldRuntimes(): PartitionRuntime[] {
    return [...this.runtimes.values()];
  }

  /**
   * Switches every partition to a new set of detectors (rules changed); call between batches.
   * Deletions of state nobody reads any more go out with each partition's next batch.
   */
  setSlots(slots: readonly DetectorSlot[]): void {
    this.slots = slots;
    for (const runtime of this.runtimes.values()) runtime.updateSlots(slots);
  }

  has(partition: number): boolean {
    return this.runtimes.has(partition);
  }

  runtime(partition: number): PartitionRuntime {
    let runtime = this.runtimes.get(partition);
    if (!runtime) {
      runtime = this.create();
      this.runtimes.set(partition, runtime);
    }
    return runtime;
  }

  /** Forget a partition's state when it is revoked; the next owner rebuilds it. */
  release(partition: number): void {
    this.runtimes.delete(partition);
  }

  partitions(): number[] {
    return [...this.runtimes.keys()];
  }

  process(batch: MessageBatch): DetectOutput {
    const { topics } = this.template;
    const runtime = this.runtime(batch.partition);
    const output: DetectOutput = { messages: [], events: 0, late: 0, findings: [], alerts: [], deadLetters: [] };
    for (const message of batch.messages) {
      let event;
      try {
        event = this.decoder.decode(message.value, { topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp });
      } catch (error) {
        if (!isVigilError(error) || this.template.onInvalidEvent === 'fail') throw error;
        output.messages.push(deadLetter(topics.deadLetter, message, { code: error.code, reason: error.message }, this.clock()));
        output.deadLetters.push({ code: error.code });
        continue;
      }
      const { findings, failures, late } = runtime.process(event);
      if (late) {
        output.late++;
        output.messages.push(lateEvent(this.lateTopic, message, event.time, late.watermark));
        continue;
      }
      output.events++;
      // Nearly every event has neither failures nor findings; skipping the loops then spares an
      // iterator per loop and event (the shared empty results are frozen arrays, which for…of
      // walks through the generic, allocating iterator).
      if (failures.length > 0) this.deadLetterFailures(failures, message, output);
      if (findings.length > 0) this.publish(findings, output);
    }
    for (const record of runtime.drainChanges()) {
      const { key, value } = encodeRecord(record);
      output.messages.push({ topic: this.changelog, partition: batch.partition, key, value });
    }
    return output;
  }

  private deadLetterFailures(failures: readonly DetectorFailure[], message: IncomingMessage, output: DetectOutput): void {
    const { topics } = this.template;
    for (const failure of failures) {
      const reason = `detector ${failure.detector} failed: ${describeError(failure.error)}`;
      if (this.template.onInvalidEvent === 'fail') throw new VigilError('VIGIL_DETECTOR_FAILED', reason, { cause: failure.error });
      output.messages.push(deadLetter(topics.deadLetter, message, { code: 'VIGIL_DETECTOR_FAILED', reason, detector: failure.detector }, this.clock()));
      output.deadLetters.push({ code: 'VIGIL_DETECTOR_FAILED', detector: failure.detector });
    }
  }

  private publish(findings: readonly Finding[], output: DetectOutput): void {
    const { topics } = this.template;
    for (const finding of findings) {
      output.findings.push(finding);
      output.messages.push({ topic: topics.findings, key: finding.entity, value: JSON.stringify(finding) });
      if (severityRank(finding.severity) < this.minSeverity) continue;
      const alert: Alert = {
        id: stableId('alr', finding.id),
        fingerprint: fingerprint(finding.template, finding.detector, finding.entity),
        template: finding.template,
        finding,
        created_at: finding.time,
      };
      output.alerts.push(alert);
      // Keyed by entity: every alert about one entity reaches the same notify partition (inhibition).
      output.messages.push({ topic: topics.alerts, key: alert.finding.entity, value: JSON.stringify(alert) });
    }
  }
}

/** The original message with where it came from and how late it was, for `<input>.late`. */
function lateEvent(topic: string, message: IncomingMessage, eventTime: number, watermark: number): OutgoingMessage {
  return {
    topic,
    key: message.key,
    value: message.value,
    headers: {
      ...withSource(message),
      'vigil-watermark': String(watermark),
      'vigil-late-by-ms': String(watermark - eventTime),
    },
  };
}
