import './quiet-warnings.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { templateTopics } from '../model/topics.js';
import { loadConfig, type VigilConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import { startLocalBroker } from '../kafka/local-broker.js';
import { createLogger } from '../logging/logger.js';
import { benchInputTopic, loadBaseTemplate, writeTemplateVariant } from './bench-template.js';
import { BenchUsageError, parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { deleteTopics, deleteTopicsWithPrefixes } from './bench-topics.js';
import { CleanupStack } from './cleanup-stack.js';
import { fillTopic } from './fill-topic.js';
import { measureAlertLatency } from './alert-latency-measure.js';
import type { AlertLatencyResult } from './alert-latency-result.js';
import { consumeWithKafkajs } from './kafkajs-consume.js';
import { consumeWithKcat } from './kcat-consume.js';
import { consumeWithPlatformatic } from './platformatic-consume.js';
import { runPeerBench } from './peer-bench.js';
import { measurePipeline } from './pipeline-measure.js';
import { measureSeparatePipeline } from './pipeline-separate.js';
import type { PipelineStage } from './pipeline-result.js';
import { buildReport, renderReport, writeReport, type BenchRun } from './report.js';
import { measureState, stateTimeoutMs } from './state-measure.js';
import { loadTemplateByRef } from '../app/build-core.js';
import { detectorSlots } from '../runtime/detector-slots.js';
import { fillCardsTopic } from './memory-fill.js';
import { measureAllInOne } from './memory-measure.js';
import type { MemoryResult } from './memory-result.js';
import { shortestStateTtlMs } from './state-events.js';
import { renderSinkPaths, SINK_PATH_ENV, SINK_PATHS, sinkPathRound, summarizeSinkPaths, type SinkPathRound } from './sink-paths-bench.js';

/**
 * `npm run bench`: in one run, fill a fresh topic with finance events, read it with kcat, bare
 * kafkajs and bare @platformatic/kafka, then run Vigil's detect + sink on it in a child process,
 * and compare; then (unless --no-state) hold one partition's detector state for --state-keys cards
 * in a child and restore it from a changelog topic (heap per key, restore keys/s); then (unless
 * --no-alerts) measure alert latency, triggering event → receiver's 200, while --alert-rate
 * events/s flow through detect, sink and notify, all in one child and/or each in a process of its
 * own (--alert-shape; --alerts-only skips everything before); and (unless --no-memory) the peak
 * RSS of one `vigil run` with every service through payments of --memory-cards distinct cards
 * (--memory-only runs nothing else). With --peers it does only the
 * comparison with the peers of the detect stage (peer-bench.ts). Everything it starts (broker, children, temp dirs, topics on a shared broker) is
 * undone in `finally`, on failure and on Ctrl-C too.
 */

/** Extra time a pipeline child gets beyond its own limit, for start-up and a clean close. */
const CHILD_GRACE_MS = 60_000;
/** Stage processes of the separate-process alert run start and deliver a first alert within this. */
const ALERT_START_MS = 120_000;

const stop = new AbortController();
const onSignal = () => stop.abort(new Error('interrupted'));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
  } else {
    process.exitCode = await bench(options, loadConfig(process.env));
  }
} catch (error) {
  if (stop.signal.aborted) {
    process.stderr.write('bench: interrupted\n');
    process.exitCode = 130;
  } else if (error instanceof BenchUsageError) {
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** The memory run may take this long: start-up, then the events at >= 2,000 events/s on a busy machine. */
function memoryTimeoutMs(events: number, floorMs: number): number {
  return Math.max(floorMs, Math.ceil(events / 2_000) * 1000);
}

async function bench(options: BenchOptions, config: VigilConfig): Promise<number> {
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'vigil-bench');
  // With --json the last stdout line is the result, so the progress goes to stderr.
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  let resultLine: string | undefined;
  const cleanup = new CleanupStack();
  const startedAt = new Date().toISOString();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  try {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-'));
    cleanup.push('remove temp dir', () => rm(workDir, { recursive: true, force: true }));
    const base = await loadBaseTemplate(config);
    const partitions = base.template.topics.partitions;

    let brokers = config.kafkaBrokers;
    let brokerPid: number | undefined;
    if (!brokers) {
      say('Starting a local Kafka broker (KAFKA_BROKERS is unset)…');
      const broker = await startLocalBroker({ cacheDir: config.kafkaCacheDir, logger, partitions });
      cleanup.push('stop local broker', () => broker.stop());
      brokers = broker.brokers;
      brokerPid = broker.pid;
    }
    const topic = benchInputTopic(base.template, runId);
    const comparePeers = options.peers.length > 0;
    const createdTopics = options.alertsOnly || options.memoryOnly || comparePeers ? [] : [topic];
    const peerTopicPrefixes: string[] = [];
    if (config.kafkaBrokers) {
      const shared = config.kafkaBrokers;
      cleanup.push('delete bench topics', () => deleteTopics(shared, createdTopics));
      cleanup.push("delete the peers' topics", () => deleteTopicsWithPrefixes(shared, peerTopicPrefixes));
    }

    const errors: Record<string, string> = {};
    const step = async <T>(name: string, limitMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
      say(`Measuring ${name}…`);
      try {
        const result = await work(AbortSignal.any([stop.signal, AbortSignal.timeout(limitMs)]));
        say(`  done`);
        return result;
      } catch (error) {
        if (stop.signal.aborted) throw error;
        errors[name] = describeError(error);
        say(`  FAILED: ${errors[name]}`);
        return undefined;
      }
    };
    /** Writes a template variant reading `inputTopic`; its other topics are the run's to delete. */
    const variantTemplate = async (variant: string, inputTopic: string): Promise<string> => {
      const { file, template } = await writeTemplateVariant(config, { baseFile: base.file, dir: workDir, runId, variant, inputTopic });
      createdTopics.push(...templateTopics(template).map((t) => t.topic).filter((t) => t !== inputTopic));
      return file;
    };
    if (comparePeers) {
      const kafka = createKafkajsClient({ brokers, clientId: 'vigil-bench', logger });
      const comparison = await runPeerBench({
        options,
        config,
        kafka,
        brokers,
        runId,
        workDir,
        baseFile: base.file,
        createdTopics,
        peerTopicPrefixes,
        say,
        step,
        errors,
        env: process.env,
        signal: stop.signal,
      });
      const result = { startedAt, node: process.version, broker: config.kafkaBrokers ? 'external' : 'local', errors, ...comparison };
      await writeFile(options.out, `${JSON.stringify(result, null, 2)}\n`);
      say(`Results written to ${path.resolve(options.out)}`);
      if (options.json) resultLine = JSON.stringify(comparison);
      return Object.keys(errors).length > 0 || comparison.outputsIdentical === false ? 1 : 0;
    }
    if (options.sinkPaths) {
      say(`Filling ${topic} with ${options.events} finance events (${partitions} partitions)…`);
      const kafka = createKafkajsClient({ brokers, clientId: 'vigil-bench', logger });
      await fillTopic({ kafka, template: base.template, topic, events: options.events, batchSize: options.fillBatch, signal: stop.signal });
      const rounds: SinkPathRound[] = [];
      for (let round = 1; round <= options.rounds; round++) {
        for (const sinkPath of SINK_PATHS) {
          const file = await variantTemplate(`sink_${sinkPath}_${round}`, topic);
          const result = await step(`sink alone, ${sinkPath} path, round ${round}`, options.timeoutMs + CHILD_GRACE_MS, (signal) =>
            measurePipeline({ brokers, templateFile: file, events: options.events, timeoutMs: options.timeoutMs, env: { ...process.env, VIGIL_SINK_RAW: SINK_PATH_ENV[sinkPath] }, signal, stages: ['sink'] }),
          );
          rounds.push(sinkPathRound(round, sinkPath, options.events, result, errors[`sink alone, ${sinkPath} path, round ${round}`]));
        }
      }
      const sinkPaths = summarizeSinkPaths(options.events, rounds);
      await writeFile(options.out, `${JSON.stringify({ startedAt, node: process.version, broker: config.kafkaBrokers ? 'external' : 'local', errors, sinkPaths }, null, 2)}\n`);
      say(`\n${renderSinkPaths(sinkPaths)}\nResults written to ${path.resolve(options.out)}`);
      if (options.json) resultLine = JSON.stringify(sinkPaths);
      return Object.keys(errors).length > 0 ? 1 : 0;
    }
    const measureThroughput = async () => {
      say(`Filling ${topic} with ${options.events} finance events (${partitions} partitions)…`);
      const kafka = createKafkajsClient({ brokers, clientId: 'vigil-bench', logger });
      const fill = await fillTopic({ kafka, template: base.template, topic, events: options.events, batchSize: options.fillBatch, signal: stop.signal });
      say(`  ${fill.rate} msgs/s (${fill.seconds} s)`);

      const reader = { brokers, topic, expected: options.events };
      const kcat = await step('kcat', options.timeoutMs, (signal) => consumeWithKcat({ ...reader, signal }));
      const kafkajs = await step('kafkajs', options.timeoutMs, (signal) => consumeWithKafkajs({ ...reader, signal }));
      const platformatic = await step('platformatic', options.timeoutMs, (signal) => consumeWithPlatformatic({ ...reader, signal }));

      const pipelineOptions = (templateFile: string, signal: AbortSignal) => ({
        brokers,
        templateFile,
        events: options.events,
        timeoutMs: options.timeoutMs,
        env: process.env,
        signal,
        ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
      });
      const runPipeline = async (variant: string, stages: readonly PipelineStage[]) => {
        const file = await variantTemplate(variant, topic);
        return step(`pipeline ${stages.join('+')}`, options.timeoutMs + CHILD_GRACE_MS, (signal) => measurePipeline({ ...pipelineOptions(file, signal), stages }));
      };
      const runSeparatePipeline = async () => {
        const file = await variantTemplate('separate', topic);
        const result = await step('pipeline detect | sink (two processes)', options.timeoutMs + CHILD_GRACE_MS, (signal) => measureSeparatePipeline(pipelineOptions(file, signal)));
        if (result && !result.ok) errors['pipeline (separate)'] = `a child failed: ${result.detect.error ?? result.sink.error ?? 'unknown error'}`;
        return result;
      };
      const shapes = options.pipelineShapes;
      const pipeline = shapes.includes('one-process') ? await runPipeline('pipeline', ['detect', 'sink']) : undefined;
      const separatePipeline = shapes.includes('separate') ? await runSeparatePipeline() : undefined;
      const detectOnly = options.splitStages ? await runPipeline('detect', ['detect']) : undefined;
      const sinkOnly = options.splitStages ? await runPipeline('sink', ['sink']) : undefined;

      const state = options.state
        ? await step('state', stateTimeoutMs(options.stateKeys, options.timeoutMs) + CHILD_GRACE_MS, (signal) => {
            const changelog = `vigil.bench.${runId}.state.changelog`;
            createdTopics.push(changelog);
            return measureState({
              brokers,
              templateFile: base.file,
              keys: options.stateKeys,
              topic: changelog,
              workDir,
              env: process.env,
              signal,
              ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
            });
          })
        : undefined;
      if (state && !state.ok) {
        errors.state = `state child failed: ${state.error ?? 'unknown error'}`;
        say(`  but: ${errors.state}`);
      }
      return { fill, kcat, kafkajs, platformatic, pipeline, separatePipeline, detectOnly, sinkOnly, state };
    };
    const { fill, kcat, kafkajs, platformatic, pipeline, separatePipeline, detectOnly, sinkOnly, state } = options.alertsOnly || options.memoryOnly ? {} : await measureThroughput();

    const measureMemory = async (): Promise<MemoryResult | undefined> => {
      const input = `vigil.bench.${runId}.memory.input`;
      createdTopics.push(input);
      const file = await variantTemplate('memory', input);
      const loaded = await loadTemplateByRef(config, file);
      const cards = options.memoryCards;
      const events = cards;
      // Under the detectors' shortest state TTL of event time, so no card leaves the state before the end.
      const spanMs = Math.floor(shortestStateTtlMs(loaded.template, detectorSlots(loaded)) * 0.9);
      say(`Filling ${input} with ${events} payments of ${cards} distinct cards (${partitions} partitions)…`);
      const kafka = createKafkajsClient({ brokers, clientId: 'vigil-bench', logger });
      const memoryFill = await fillCardsTopic({ kafka, template: loaded.template, topic: input, events, cards, spanMs, batchSize: options.fillBatch, signal: stop.signal });
      say(`  ${memoryFill.rate} msgs/s (${memoryFill.seconds} s)`);
      const limitMs = memoryTimeoutMs(events, options.timeoutMs);
      const result = await step(`memory (vigil run, every service, ${cards} cards)`, limitMs + CHILD_GRACE_MS, (signal) =>
        measureAllInOne({ brokers, templateFile: file, template: loaded.template, events, cards, timeoutMs: limitMs, env: process.env, logger, signal }),
      );
      if (result && !result.ok) {
        errors.memory = `vigil run failed: ${result.error ?? 'unknown error'}`;
        say(`  but: ${errors.memory}`);
      }
      return result && { ...result, fill: memoryFill };
    };
    const memory = (options.memory || options.memoryOnly) && !options.alertsOnly ? await measureMemory() : undefined;

    const alerts: AlertLatencyResult[] = [];
    for (const shape of options.alerts && !options.memoryOnly ? options.alertShapes : []) {
      const separate = shape === 'separate';
      const result = await step(`alert latency (${shape})`, (options.alertSeconds + 30) * 1000 + ALERT_START_MS + CHILD_GRACE_MS, async (signal) => {
        const variant = separate ? 'alerts_separate' : 'alerts';
        const input = `vigil.bench.${runId}.${variant}.input`;
        createdTopics.push(input);
        const file = await variantTemplate(variant, input);
        return measureAlertLatency({ brokers, templateFile: file, rate: options.alertRate, seconds: options.alertSeconds, separate, detectProcesses: separate ? options.alertDetectProcesses : 1, ...(brokerPid === undefined ? {} : { brokerPid }), env: process.env, signal });
      });
      if (result) alerts.push(result);
    }

    const run: BenchRun = {
      startedAt,
      node: process.version,
      events: options.events,
      partitions,
      broker: config.kafkaBrokers ? 'external' : 'local',
      ...(fill && { fill }),
      ...(kcat && { kcat }),
      ...(kafkajs && { kafkajs }),
      ...(platformatic && { platformatic }),
      ...(pipeline && { pipeline }),
      ...(separatePipeline && { separatePipeline }),
      ...(detectOnly && { detectOnly }),
      ...(sinkOnly && { sinkOnly }),
      ...(state && { state }),
      ...(memory && { memory }),
      ...(alerts.length > 0 && { alerts }),
      errors,
    };
    const report = buildReport(run);
    await writeReport(options.out, report);
    say(`\n${renderReport(report)}\nResults written to ${path.resolve(options.out)}`);
    if (options.json) resultLine = JSON.stringify(report);
    return Object.keys(errors).length > 0 ? 1 : 0;
  } finally {
    say('Cleaning up…');
    await cleanup.run((line) => logger.warn(line));
    if (resultLine !== undefined) process.stdout.write(`${resultLine}\n`);
  }
}

