import 'reflect-metadata';
import './quiet-warnings.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { generateWebhookSecret } from '../alerts/webhook.secret.js';
import { buildCore } from '../app/build-core.js';
import { groupId } from '../model/topics.js';
import { startStages, type RunningStages } from '../app/stage-launcher.js';
import { alertDeliveriesTopic } from '../model/topics.js';
import { loadConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import type { KafkaClient, OutgoingMessage, Producer, TopicPartitionOffset } from '../kafka/kafka.types.js';
import { createLogger } from '../logging/logger.js';
import { halves, SINK_CATCH_UP_MS, summarize, type AlertLatencyResult } from './alert-latency-result.js';
import { StageProcesses } from './alert-stage-processes.js';
import { startAlertTap, type AlertTap } from './alert-tap.js';
import { round } from './measurement.js';
import { processCpuSeconds } from './process-cpu.js';
import { PRIMING, probePayments } from './probe-payments.js';
import { BackgroundTraffic } from './background-traffic.js';
import { KcatProducer } from './kcat-producer.js';
import { builtInGenerators } from '../domains/domains.js';

/**
 * Child process entry (spawned by alert-latency-measure.ts): runs detect, sink and notify of the
 * given template in this process (or, with --separate, each in a `vigil run --services <stage>`
 * process of its own, as docker-compose deploys them) with a webhook receiver in this process,
 * produces the template's simulated traffic at `--rate` events/s (generated beforehand, sent
 * through kcat: see BackgroundTraffic and KcatProducer) and, every `--probe-every-ms`, a probe
 * through kafkajs: a fresh card's priming payments, acknowledged, then the one payment that makes
 * the velocity rule fire. Latency is
 * from just before the trigger is handed to the producer to the moment the receiver has the alert
 * (it answers 200 right then). The routes of the template send at once (no grouping delay).
 * The breakdown (wall clock, same machine) splits each probe's path at the alert record's Kafka
 * timestamp (detect processed the trigger and sent the alert in its transaction), its visibility on the alerts topic (detect's transaction
 * committed; seen by a read_committed tap) and the start of notify's delivery attempt (the
 * delivery record's `time`). Measuring starts once a first probe made it end to end.
 * Prints one AlertLatencyResult JSON line on stdout; logs go to stderr.
 */

const TICK_MS = 50;
/** Stages start, groups join and the first batches flow before probing starts. */
const WARM_UP_MS = 3_000;
/** How long to wait for the last probes' alerts after the load stops. */
const DRAIN_MS = 10_000;
/** How long the stages get to start and deliver a first probe alert. */
const READY_MS = 120_000;
const STAGES = ['detect', 'sink', 'notify'] as const;
/** Probe number of the readiness probe (measured probes count up from 0). */
const READY_PROBE = 999_999;

const { values } = parseArgs({
  strict: true,
  options: {
    template: { type: 'string' },
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    'probe-every-ms': { type: 'string', default: '250' },
    separate: { type: 'boolean', default: false },
    'detect-processes': { type: 'string', default: '1' },
    'broker-pid': { type: 'string' },
  },
});
const templateFile = values.template;
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const probeEveryMs = Number(values['probe-every-ms']);
const separate = values.separate;
const detectProcesses = Number(values['detect-processes']);
const brokerPid = values['broker-pid'] === undefined ? undefined : Number(values['broker-pid']);
if (templateFile === undefined || !(rate > 0) || !(seconds > 0) || !(probeEveryMs > 0) || !Number.isSafeInteger(detectProcesses) || detectProcesses < 1) {
  process.stderr.write('usage: alert-latency-run --template FILE [--rate N] [--seconds S] [--probe-every-ms MS] [--separate [--detect-processes N]]\n');
  process.exit(2);
}
// The parent holds our stdin open: EOF means it died, so we stop too.
process.stdin.once('end', () => process.exit(3));
process.stdin.resume();

const result = await run(templateFile);
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));

async function run(file: string): Promise<AlertLatencyResult> {
  const arrivals = new Map<string, Arrival>();
  const receiver = await startReceiver(arrivals);
  const secret = generateWebhookSecret();
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  const env = { ...process.env, VIGIL_WEBHOOK_URL: url, VIGIL_WEBHOOK_SECRET: secret, VIGIL_API_PORT: '0' };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, 'vigil-bench-alerts');
  // With --separate this process only produces and receives: no embedded engine here.
  const owned = await buildCore({ config, template: file, clickhouse: !separate, logger });
  const { core } = owned;
  const sent = new Map<string, number>();
  const sentWall = new Map<string, number>();
  let cpuBefore = process.cpuUsage();
  let cpuDuringLoad: NodeJS.CpuUsage | undefined;
  let produced = 0;
  let error: string | undefined;
  let loadSeconds = 0;
  let processed: number | null = null;
  let stageCpuSeconds: Record<string, number> | null = null;
  let brokerCpuSeconds: number | null = null;
  let tap: AlertTap | undefined;
  let background: KcatProducer | undefined;
  let sinkCatchUpMs: number | null | undefined;
  try {
    tap = await startAlertTap(config.kafkaBrokers ?? [], core.template.topics.alerts, alertDeliveriesTopic(core.template));
    const processes = separate ? new StageProcesses(file, [...Array<string>(detectProcesses).fill('detect'), 'sink', 'notify'], env) : undefined;
    const running: RunningStages | undefined = separate ? undefined : await startStages(core, STAGES);
    const producer = await core.kafka.producer();
    try {
      const simulator = core.template.simulator;
      if (!simulator) throw new Error(`template ${core.template.name} has no simulator`);
      const generator = builtInGenerators().create(simulator.generator, { seed: simulator.seed, params: simulator.params });
      const topic = core.template.topics.input;
      await untilFirstProbeArrives(producer, topic, arrivals);
      let probeMessages = PRIMING + 1; // the readiness probe's
      const traffic = new BackgroundTraffic(generator, rate, WARM_UP_MS + seconds * 1000 + TICK_MS, Date.now());
      const processedBefore = separate ? 0 : await core.metrics.total(core.metrics.processed, { template: core.template.name });
      const t0 = performance.now();
      traffic.start(Date.now());
      const brokerCpuAtStart = brokerPid === undefined ? Number.NaN : processCpuSeconds(brokerPid);
      const stageCpuAtStart = processes ? cpuOf(processes.pids()) : {};
      cpuBefore = process.cpuUsage();
      const end = t0 + WARM_UP_MS + seconds * 1000;
      let nextProbeAt = t0 + WARM_UP_MS;
      let probe = 0;
      let pendingTrigger: { id: string; message: OutgoingMessage } | undefined;
      const sends: Promise<void>[] = [];
      background = new KcatProducer(config.kafkaBrokers ?? [], topic);
      for (let tick = 0; performance.now() < end; tick++) {
        const due = Math.min(traffic.size, Math.round(((performance.now() - t0) / 1000) * rate)) - produced;
        if (pendingTrigger) {
          // The trigger goes alone, after its priming payments were acknowledged, timed from here.
          sent.set(pendingTrigger.id, performance.now());
          sentWall.set(pendingTrigger.id, Date.now());
          sends.push(producer.send([pendingTrigger.message]));
          pendingTrigger = undefined;
          probeMessages++;
        } else if (performance.now() >= nextProbeAt) {
          const { priming, trigger } = probePayments(probe++, traffic.eventClock(Date.now()));
          await producer.send(priming.map((p) => ({ topic, key: p.key, value: p.value })));
          probeMessages += priming.length;
          pendingTrigger = { id: trigger.id, message: { topic, key: trigger.key, value: trigger.value } };
          nextProbeAt += probeEveryMs;
        }
        if (due > 0) await background.send(traffic.chunk(produced, produced + due));
        produced += due;
        await sleep(Math.max(0, t0 + (tick + 1) * TICK_MS - performance.now()));
      }
      await Promise.all(sends);
      await background.close();
      const loadEnd = performance.now();
      loadSeconds = (loadEnd - t0) / 1000;
      await expectOnTopic(core.kafka, topic, produced + probeMessages);
      // The sink may lag during the load (it runs at lower priority than the alert path) but must
      // not fall behind: how long after the load it has committed every event.
      const caughtUp = untilCommitted(core.kafka, groupId(core.template, 'sink'), topic, produced + probeMessages, loadEnd + SINK_CATCH_UP_MS).then((at) => {
        sinkCatchUpMs = at === undefined ? null : Math.round(at - loadEnd);
      });
      // Awaited after the drain below; a failure meanwhile must not count as unhandled.
      caughtUp.catch(() => undefined);
      cpuDuringLoad = process.cpuUsage(cpuBefore);
      if (processes) {
        const now = cpuOf(processes.pids());
        stageCpuSeconds = Object.fromEntries(Object.entries(now).map(([stage, seconds]) => [stage, round(seconds - (stageCpuAtStart[stage] ?? 0), 2)]));
      }
      if (brokerPid !== undefined) {
        const used = processCpuSeconds(brokerPid) - brokerCpuAtStart;
        brokerCpuSeconds = Number.isFinite(used) ? round(used, 2) : null;
      }
      if (!separate) processed = (await core.metrics.total(core.metrics.processed, { template: core.template.name })) - processedBefore;
      const drainUntil = performance.now() + DRAIN_MS;
      while ([...sent.keys()].some((id) => !arrivals.has(id)) && performance.now() < drainUntil) await sleep(50);
      await caughtUp;
    } finally {
      background?.kill();
      await producer.close();
      await running?.close();
      await processes?.stop();
    }
  } catch (caught) {
    error = describeError(caught);
  } finally {
    await tap?.stop().catch(() => undefined);
    await owned.close();
    await new Promise<void>((resolve) => {
      receiver.close(() => resolve());
      receiver.closeAllConnections();
    });
  }
  const answered = [...sent].flatMap(([id, at]) => (arrivals.has(id) ? [{ at, ms: arrivals.get(id)!.perf - at }] : []));
  const latencies = answered.map((probe) => probe.ms);
  const cpu = cpuDuringLoad ?? process.cpuUsage(cpuBefore);
  const segment = (from: (id: string) => number | undefined, to: (id: string) => number | undefined) =>
    summarize([...sent.keys()].flatMap((id) => {
      const a = from(id);
      const b = to(id);
      return a === undefined || b === undefined ? [] : [b - a];
    }));
  return {
    ok: error === undefined && latencies.length > 0,
    ...(error === undefined ? (latencies.length > 0 ? {} : { error: 'no probe alert reached the receiver' }) : { error }),
    shape: separate ? 'separate' : 'one-process',
    detectProcesses: separate ? detectProcesses : 1,
    targetRate: rate,
    producedRate: loadSeconds > 0 ? Math.round(produced / loadSeconds) : 0,
    processed,
    seconds: round(loadSeconds, 3),
    probes: sent.size,
    received: latencies.length,
    latencyMs: summarize(latencies),
    halvesMs: halves(answered),
    breakdownMs: {
      produceToDetect: segment((id) => sentWall.get(id), (id) => tap?.sentAt.get(id)),
      detectToCommitted: segment((id) => tap?.sentAt.get(id), (id) => tap?.visibleAt.get(id)),
      committedToNotify: segment((id) => tap?.visibleAt.get(id), (id) => tap?.attemptAt.get(id)),
      notifyToReceiver: segment((id) => tap?.attemptAt.get(id), (id) => arrivals.get(id)?.wall),
    },
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    ...(stageCpuSeconds === null ? {} : { stageCpuSeconds }),
    ...(brokerCpuSeconds === null ? {} : { brokerCpuSeconds }),
    ...(sinkCatchUpMs === undefined ? {} : { sinkCatchUpMs }),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
  };
}

/** Messages below the offsets, over all partitions (partitions of a fresh topic start at 0). */
function offsetSum(offsets: readonly TopicPartitionOffset[]): number {
  return offsets.reduce((sum, o) => sum + Number(o.offset), 0);
}

function cpuOf(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([stage, pid]) => [stage, processCpuSeconds(pid)]));
}

/** When `group` has committed `expected` offsets of `topic` in all (performance.now()), or undefined at `until`. */
async function untilCommitted(kafka: KafkaClient, group: string, topic: string, expected: number, until: number): Promise<number | undefined> {
  const admin = await kafka.admin();
  try {
    while (performance.now() < until) {
      if (offsetSum(await admin.groupOffsets(group, [topic])) >= expected) return performance.now();
      await sleep(100);
    }
    return undefined;
  } finally {
    await admin.close();
  }
}

/** Every message we sent is on the topic: the background traffic's producer reports no per-message acks to us. */
async function expectOnTopic(kafka: KafkaClient, topic: string, expected: number): Promise<void> {
  const admin = await kafka.admin();
  try {
    const onTopic = offsetSum(await admin.topicOffsets(topic));
    if (onTopic !== expected) throw new Error(`${onTopic} messages on ${topic}, ${expected} sent`);
  } finally {
    await admin.close();
  }
}

/**
 * A first probe before the clock starts: stages (separate processes especially) take seconds to
 * start and join their groups, which is start-up, not alert latency.
 */
async function untilFirstProbeArrives(producer: Producer, topic: string, arrivals: Map<string, Arrival>): Promise<void> {
  const { priming, trigger } = probePayments(READY_PROBE, Date.now());
  await producer.send([...priming, trigger].map((p) => ({ topic, key: p.key, value: p.value })));
  const until = performance.now() + READY_MS;
  while (!arrivals.has(trigger.id)) {
    if (performance.now() > until) throw new Error(`the stages did not deliver a first alert within ${READY_MS / 1000} s`);
    await sleep(100);
  }
}

interface Arrival {
  readonly perf: number;
  readonly wall: number;
}

/** The receiver: notes when each alert's trigger event arrives, answers 200 at once. */
async function startReceiver(arrivals: Map<string, Arrival>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = { perf: performance.now(), wall: Date.now() };
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { finding?: { trigger_event_id?: string } };
        const trigger = payload.finding?.trigger_event_id;
        if (trigger !== undefined && !arrivals.has(trigger)) arrivals.set(trigger, at);
      } catch {
        // Not ours to judge: the pipeline's own tests check payloads.
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
