import { describeError, VigilError } from '../errors/vigil-error.js';
import { PartitionRuntime, type DetectorSlot } from '../runtime/partition-runtime.js';
import { severityRank, type FeedbackLabel, type VigilEvent } from '../model/records.js';
import type { Template } from '../model/template/template.schema.js';
import type { DetectorLogger, SignalLookup } from '../model/detector.js';
import type { ReadBatch } from './read-batch.js';
import { LabelQueue } from '../runtime/label-queue.js';
import { Outcomes, UNLABELLED } from './outcomes.js';

export interface ReplayOptions {
  readonly template: Template;
  readonly slots: readonly DetectorSlot[];
  /** The history's lines, read, in order, in batches (readOnThisThread or openRowsInWorker). */
  readonly rows: AsyncIterable<ReadBatch>;
  /** Labels reach detectors this long (event time) after their transaction. */
  readonly feedbackDelay: number;
  /** Only events with from <= time < to are replayed. */
  readonly from?: number;
  readonly to?: number;
  /** Signal ranked by the metrics; default the risk_score detector's `score`, else the highest finding score. */
  readonly scoreSignal?: string;
  readonly log: DetectorLogger;
  /** Called for every replayed event after the detectors ran, e.g. to collect features. */
  readonly onEvent?: (event: VigilEvent, signals: SignalLookup, fraud: boolean | undefined) => void;
  /** Called every few thousand lines. */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  readonly lines: number;
  readonly events: number;
}

export interface ReplayResult {
  readonly outcomes: Outcomes;
  readonly lines: number;
  readonly skipped: number;
  readonly invalid: number;
  readonly invalidExamples: readonly string[];
  readonly late: number;
  readonly labelsDelivered: number;
  readonly detectorFailures: number;
  readonly scoreSignal: string | undefined;
  /** Sum of each risk contribution signal over the replay's fraud and genuine events, for the report. */
  readonly contributions: Record<string, { fraud: number; genuine: number }>;
  /** Labelled events of the replay: what the contribution sums are over. */
  readonly labelledFrauds: number;
  readonly labelledGenuine: number;
  readonly elapsedMs: number;
}

const PROGRESS_EVERY = 8192;
/** Timer and event-time changes are kept for a changelog the backtest does not have: drop them this often. */
const DRAIN_EVERY = 4096;
const INVALID_EXAMPLES = 5;

/**
 * Replays history through the template's detectors in event time, without Kafka: one
 * PartitionRuntime (the code the detect stage runs per partition) sees every event in file order,
 * so keyed state is exactly what a single partition would hold. Labels of the file become
 * FeedbackLabels delivered when event time reaches transaction time + `feedbackDelay`, never
 * earlier. Bad lines are counted and reported (or stop the run with `onInvalidEvent: fail`).
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { template, slots, feedbackDelay, log } = options;
  const runtime = new PartitionRuntime(template, slots, log, { recordChanges: false });
  const detectors = slots.map((slot) => slot.id);
  const bit = new Map(detectors.map((id, i) => [id, 1 << i] as const));
  const minSeverity = severityRank(template.alerts.minSeverity);
  const scoreSignal = options.scoreSignal ?? defaultScoreSignal(slots);
  const outcomes = new Outcomes(detectors);
  const labels = new LabelQueue();
  // Risk contribution sums, per signal slot of the runtime (see EventSignals.slotOf).
  let contributionNames: string[] | undefined;
  let contributionSlots: number[] = [];
  let fraudSums: Float64Array | undefined;
  let genuineSums: Float64Array | undefined;
  let labelledFrauds = 0;
  let labelledGenuine = 0;
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  let lines = 0;
  let skipped = 0;
  let invalid = 0;
  let late = 0;
  let labelsDelivered = 0;
  let detectorFailures = 0;
  const invalidExamples: string[] = [];
  const started = performance.now();

  const signals = runtime.signals;
  const scoreSlot = scoreSignal === undefined ? -1 : signals.slotOf(scoreSignal);
  const deliver = (label: FeedbackLabel): void => {
    labelsDelivered++;
    detectorFailures += runtime.deliverLabel(label).length;
  };

  for await (const batch of options.rows) {
    for (let index = 0; index < batch.length; index++) {
      lines++;
      if (lines % PROGRESS_EVERY === 0) options.onProgress?.({ lines, events: outcomes.size });
      const row = batch.read(index);
      if (row instanceof Error) {
        if (template.onInvalidEvent === 'fail') throw row;
        invalid++;
        if (invalidExamples.length < INVALID_EXAMPLES) invalidExamples.push(describeError(row));
        continue;
      }
      if (row === undefined) continue;
      const { event, fraud } = row;
      if (event.time < from || event.time >= to) {
        skipped++;
        continue;
      }
      labels.popUntil(event.time, deliver);
      // Queued before the event is scored but due only after it (labelled_at > time, or the next
      // event at the earliest with no delay): a late event's label still reaches the detectors.
      if (fraud !== undefined) labels.push(labelOf(event, fraud, row.scenario, feedbackDelay));
      const result = runtime.process(event);
      if (result.late) {
        late++;
        continue;
      }
      if (result.failures.length > 0) {
        detectorFailures += result.failures.length;
        if (template.onInvalidEvent === 'fail') {
          const failure = result.failures[0]!;
          throw new VigilError('VIGIL_DETECTOR_FAILED', `detector ${failure.detector} failed on ${event.id}: ${describeError(failure.error)}`, { cause: failure.error });
        }
      }
      let alertMask = 0;
      let findingMask = 0;
      let best = 0;
      for (const finding of result.findings) {
        const b = bit.get(finding.detector) ?? 0;
        findingMask |= b;
        if (severityRank(finding.severity) >= minSeverity) alertMask |= b;
        if (finding.score > best) best = finding.score;
      }
      options.onEvent?.(event, signals, fraud);
      const score = scoreSlot === -1 ? best : (signals.valueAt(scoreSlot) ?? 0);
      const card = event.key;
      outcomes.add(event.time, score, fraud === undefined ? UNLABELLED : fraud ? 1 : 0, outcomes.cardOf(card), alertMask, findingMask, outcomes.scenarioOf(row.scenario));
      if (fraud !== undefined) {
        // The risk score publishes every contribution for every event: learn their names once.
        if (fraud) labelledFrauds++;
        else labelledGenuine++;
        if (contributionNames === undefined) {
          contributionNames = signals.names().filter((name) => name.includes('.contrib.'));
          contributionSlots = contributionNames.map((name) => signals.slotOf(name));
          fraudSums = new Float64Array(contributionNames.length);
          genuineSums = new Float64Array(contributionNames.length);
        }
        const sums = fraud ? fraudSums! : genuineSums!;
        for (let i = 0; i < contributionSlots.length; i++) sums[i]! += signals.valueAt(contributionSlots[i]!) ?? 0;
      }
      if (outcomes.size % DRAIN_EVERY === 0) runtime.drainChanges();
    }
  }
  options.onProgress?.({ lines, events: outcomes.size });
  const contributions: Record<string, { fraud: number; genuine: number }> = {};
  contributionNames?.forEach((name, i) => (contributions[name] = { fraud: fraudSums![i]!, genuine: genuineSums![i]! }));
  return {
    outcomes,
    lines,
    skipped,
    invalid,
    invalidExamples,
    late,
    labelsDelivered,
    detectorFailures,
    scoreSignal,
    contributions,
    labelledFrauds,
    labelledGenuine,
    elapsedMs: performance.now() - started,
  };
}

function defaultScoreSignal(slots: readonly DetectorSlot[]): string | undefined {
  const risk = slots.filter((slot) => slot.definition.meta.name === 'risk_score').at(-1);
  return risk === undefined ? undefined : `${risk.id}.score`;
}

function labelOf(event: VigilEvent, fraud: boolean, scenario: string, feedbackDelay: number): FeedbackLabel {
  return {
    event_id: event.id,
    time: event.time,
    labelled_at: event.time + feedbackDelay,
    entity: event.key,
    customer_id: stringField(event.fields.customer_id),
    terminal_id: stringField(event.fields.terminal_id),
    fraud,
    scenario,
  };
}

function stringField(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
