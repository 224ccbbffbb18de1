import path from 'node:path';
import { loadTemplateByRef } from '../app/build-core.js';
import type { VigilConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import { templateTopics } from '../model/topics.js';
import type { BenchOptions, PeerName } from './bench-options.js';
import { benchInputTopic, writeTemplateVariant } from './bench-template.js';
import { fillTopic } from './fill-topic.js';
import { diffValues } from './output-diff.js';
import { buildPeerComparison, renderPeerComparison, type EngineRun, type PeerComparison, type RoundDiff } from './peer-report.js';
import { peerAlertsTopic, peerTopicPrefixes, runPeer } from './peer-run.js';
import { DEFAULT_PEERS_DIR, findPeers } from './peer-setup.js';
import { measurePipeline } from './pipeline-measure.js';
import { readTopicValues } from './topic-values.js';

/** Extra time a child gets beyond the measurement's own limit, for start-up and a clean close. */
const CHILD_GRACE_MS = 60_000;
/** A peer's first run may build its jar with Maven first (minutes on a cold cache). */
const FIRST_BUILD_MS = 20 * 60_000;

export interface PeerBenchContext {
  readonly options: BenchOptions;
  readonly config: VigilConfig;
  readonly kafka: KafkaClient;
  readonly brokers: readonly string[];
  readonly runId: string;
  readonly workDir: string;
  /** The shipped finance template, measured alone when finance2 is missing. */
  readonly baseFile: string;
  /** Topics to delete at the end (on a shared broker), and topic prefixes of the peers' runs. */
  readonly createdTopics: string[];
  readonly peerTopicPrefixes: string[];
  readonly say: (line: string) => void;
  /** Runs one measurement, reporting and recording its failure instead of throwing. */
  readonly step: <T>(name: string, limitMs: number, work: (signal: AbortSignal) => Promise<T>) => Promise<T | undefined>;
  /** Failures of steps, by name (filled by `step` too). */
  readonly errors: Record<string, string>;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/** Where one engine's run of a round wrote its findings and alerts. */
interface Outputs {
  readonly findings: string;
  readonly alerts: string;
}

/**
 * `npm run bench -- --peers kstreams,flink`: one topic filled with the finance2 template's
 * simulated events, then `--rounds` rounds, each running Vigil's detect stage alone (a child, as
 * --split-stages does) and then each peer once over it, back to back; then each peer's findings
 * and alerts are diffed, round by round, with Vigil's of the same round. Vigil's template in round r
 * is named `bench_peers_r<r>_<runId>`, and the peers get that name as TEMPLATE_NAME, so the ids in
 * the findings, which hash the template name, match. Without the peers or Java, Vigil is measured
 * alone (on the finance template when finance2 itself is missing), and the reason is reported.
 */
export async function runPeerBench(context: PeerBenchContext): Promise<PeerComparison> {
  const { options, config, say, step, signal } = context;
  const peersDir = path.resolve(options.peersDir ?? DEFAULT_PEERS_DIR);
  const setup = await findPeers(peersDir, options.peers, context.env.PATH);
  for (const reason of setup.skipped) say(`Peers: ${reason}`);
  const templateFile = setup.templateFile ?? context.baseFile;
  const { template } = await loadTemplateByRef(config, templateFile);

  const topic = benchInputTopic(template, context.runId);
  context.createdTopics.push(topic);
  say(`Filling ${topic} with ${options.events} ${template.name} events (${template.topics.partitions} partitions)…`);
  const fill = await fillTopic({ kafka: context.kafka, template, topic, events: options.events, batchSize: options.fillBatch, signal });
  say(`  ${fill.rate} msgs/s (${fill.seconds} s)`);

  const vigilRuns: EngineRun[] = [];
  const peerRuns = Object.fromEntries(setup.runnable.map(({ name }) => [name, [] as EngineRun[]])) as Partial<Record<PeerName, EngineRun[]>>;
  const outputs = new Map<string, Outputs>();
  const key = (engine: string, round: number) => `${engine}#${round}`;
  for (let round = 1; round <= options.rounds; round++) {
    const variant = await writeTemplateVariant(config, { baseFile: templateFile, dir: context.workDir, runId: context.runId, variant: `peers_r${round}`, inputTopic: topic });
    context.createdTopics.push(...templateTopics(variant.template).map((t) => t.topic).filter((t) => t !== topic));
    const templateName = variant.template.name;

    const vigil = await step(`vigil detect, round ${round}`, options.timeoutMs + CHILD_GRACE_MS, (s) =>
      measurePipeline({ brokers: context.brokers, templateFile: variant.file, events: options.events, stages: ['detect'], timeoutMs: options.timeoutMs, env: context.env, signal: s }),
    );
    vigilRuns.push(vigil ? { round, ok: true, rate: vigil.rate!, seconds: vigil.seconds!, cpuSeconds: vigil.cpuSeconds, findings: vigil.findings, alerts: vigil.alerts } : failed(round, context.errors[`vigil detect, round ${round}`]));
    if (vigil) outputs.set(key('vigil', round), { findings: variant.template.topics.findings, alerts: variant.template.topics.alerts });

    for (const { name, script } of setup.runnable) {
      const limit = options.timeoutMs + CHILD_GRACE_MS + (round === 1 ? FIRST_BUILD_MS : 0);
      const resultFile = path.join(context.workDir, `${name}-r${round}.result.json`);
      const peer = await step(`${name}, round ${round}`, limit, (s) =>
        runPeer({ name, script, brokers: context.brokers, topic, events: options.events, templateName, resultFile, timeoutMs: options.timeoutMs, env: context.env, signal: s }),
      );
      if (peer) {
        context.peerTopicPrefixes.push(...peerTopicPrefixes(peer));
        outputs.set(key(name, round), { findings: peer.findingsTopic, alerts: peerAlertsTopic(peer) });
      }
      peerRuns[name]!.push(peer ? { round, ok: true, rate: peer.rate, seconds: peer.seconds, cpuSeconds: peer.cpuSeconds, findings: peer.findings, alerts: peer.alerts } : failed(round, context.errors[`${name}, round ${round}`]));
    }
  }

  const diffs: RoundDiff[] = [];
  if (setup.runnable.length > 0) say('Comparing findings and alerts (read_committed)…');
  for (let round = 1; round <= options.rounds && setup.runnable.length > 0; round++) {
    const vigilOutputs = outputs.get(key('vigil', round));
    const vigilValues = vigilOutputs && (await readOutputs(context.kafka, vigilOutputs).catch((error: unknown) => describeError(error)));
    for (const { name } of setup.runnable) {
      const peerOutputs = outputs.get(key(name, round));
      if (vigilValues === undefined || typeof vigilValues === 'string' || peerOutputs === undefined) {
        const why = typeof vigilValues === 'string' ? `reading Vigil's outputs failed: ${vigilValues}` : vigilValues === undefined ? "Vigil's run failed" : `${name}'s run failed`;
        diffs.push({ round, peer: name, error: why });
        continue;
      }
      try {
        const peerValues = await readOutputs(context.kafka, peerOutputs);
        diffs.push({ round, peer: name, findings: diffValues(vigilValues.findings, peerValues.findings), alerts: diffValues(vigilValues.alerts, peerValues.alerts) });
      } catch (error) {
        diffs.push({ round, peer: name, error: `reading ${name}'s outputs failed: ${describeError(error)}` });
      }
    }
  }

  const comparison = buildPeerComparison({
    events: options.events,
    rounds: options.rounds,
    template: template.name,
    partitions: template.topics.partitions,
    vigil: vigilRuns,
    peers: peerRuns as Record<string, EngineRun[]>,
    diffs,
    skipped: setup.skipped,
  });
  say(`\n${renderPeerComparison(comparison, setup.runnable.map((p) => p.name))}`);
  return comparison;
}

function failed(round: number, error: string | undefined): EngineRun {
  return { round, ok: false, error: error ?? 'unknown error' };
}

async function readOutputs(kafka: KafkaClient, outputs: Outputs): Promise<{ findings: Buffer[]; alerts: Buffer[] }> {
  return { findings: await readTopicValues(kafka, outputs.findings), alerts: await readTopicValues(kafka, outputs.alerts) };
}
