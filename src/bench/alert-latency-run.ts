import 'reflect-metadata';
import './quiet-warnings.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { generateWebhookSecret } from '../alerts/webhook.secret.js';
import { buildCore } from '../app/build-core.js';
import { startStages } from '../app/stage-launcher.js';
import { loadConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import type { OutgoingMessage } from '../kafka/kafka.types.js';
import { createLogger } from '../logging/logger.js';
import { createGenerator } from '../simulate/generators.js';
import { percentile, type AlertLatencyResult } from './alert-latency-result.js';
import { round } from './measurement.js';
import { probePayments } from './probe-payments.js';

/**
 * Child process entry (spawned by alert-latency-measure.ts): runs detect, sink and notify of the
 * given template with a webhook receiver in this process, produces the template's simulated
 * traffic at `--rate` events/s (event time = now) and, every `--probe-every-ms`, a probe: a fresh
 * card's priming payments, then the one payment that makes the velocity rule fire. Latency is
 * from just before the trigger is handed to the producer to the moment the receiver has the alert
 * (it answers 200 right then). The routes of the template send at once (no grouping delay).
 * Prints one AlertLatencyResult JSON line on stdout; logs go to stderr.
 */

const TICK_MS = 50;
/** Stages start, groups join and the first batches flow before probing starts. */
const WARM_UP_MS = 3_000;
/** How long to wait for the last probes' alerts after the load stops. */
const DRAIN_MS = 10_000;

const { values } = parseArgs({
  strict: true,
  options: {
    template: { type: 'string' },
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    'probe-every-ms': { type: 'string', default: '250' },
  },
});
const templateFile = values.template;
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const probeEveryMs = Number(values['probe-every-ms']);
if (templateFile === undefined || !(rate > 0) || !(seconds > 0) || !(probeEveryMs > 0)) {
  process.stderr.write('usage: alert-latency-run --template FILE [--rate N] [--seconds S] [--probe-every-ms MS]\n');
  process.exit(2);
}
// The parent holds our stdin open: EOF means it died, so we stop too.
process.stdin.once('end', () => process.exit(3));
process.stdin.resume();

const result = await run(templateFile);
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));

async function run(file: string): Promise<AlertLatencyResult> {
  const arrivals = new Map<string, number>();
  const receiver = await startReceiver(arrivals);
  const secret = generateWebhookSecret();
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  const config = loadConfig({ ...process.env, VIGIL_WEBHOOK_URL: url, VIGIL_WEBHOOK_SECRET: secret, VIGIL_API_PORT: '0' });
  const logger = createLogger(config.logLevel, 'vigil-bench-alerts');
  const owned = await buildCore({ config, template: file, clickhouse: true, logger });
  const { core } = owned;
  const sent = new Map<string, number>();
  const cpuBefore = process.cpuUsage();
  let produced = 0;
  let error: string | undefined;
  let loadSeconds = 0;
  let processed = 0;
  try {
    const running = await startStages(core, ['detect', 'sink', 'notify']);
    const producer = await core.kafka.producer();
    try {
      const simulator = core.template.simulator;
      if (!simulator) throw new Error(`template ${core.template.name} has no simulator`);
      const generator = createGenerator(simulator.generator, { seed: simulator.seed, params: simulator.params });
      const topic = core.template.topics.input;
      const processedBefore = await core.metrics.total(core.metrics.processed, { template: core.template.name });
      const t0 = performance.now();
      const end = t0 + WARM_UP_MS + seconds * 1000;
      let nextProbeAt = t0 + WARM_UP_MS;
      let probe = 0;
      let pendingTrigger: { id: string; message: OutgoingMessage } | undefined;
      const sends: Promise<void>[] = [];
      for (let tick = 0; performance.now() < end; tick++) {
        const due = Math.round(((performance.now() - t0) / 1000) * rate) - produced;
        const batch: OutgoingMessage[] = [];
        for (let i = 0; i < due; i++) {
          const event = generator.next(Date.now());
          batch.push({ topic, key: event.key, value: JSON.stringify(event.value) });
        }
        if (pendingTrigger) {
          // The trigger goes alone, after its priming payments were acknowledged, timed from here.
          sent.set(pendingTrigger.id, performance.now());
          sends.push(producer.send([pendingTrigger.message]));
          pendingTrigger = undefined;
        } else if (performance.now() >= nextProbeAt) {
          const { priming, trigger } = probePayments(probe++, Date.now());
          batch.push(...priming.map((p) => ({ topic, key: p.key, value: p.value })));
          pendingTrigger = { id: trigger.id, message: { topic, key: trigger.key, value: trigger.value } };
          nextProbeAt += probeEveryMs;
        }
        produced += due;
        if (batch.length > 0) await producer.send(batch);
        await sleep(Math.max(0, t0 + (tick + 1) * TICK_MS - performance.now()));
      }
      await Promise.all(sends);
      loadSeconds = (performance.now() - t0) / 1000;
      processed = (await core.metrics.total(core.metrics.processed, { template: core.template.name })) - processedBefore;
      const drainUntil = performance.now() + DRAIN_MS;
      while ([...sent.keys()].some((id) => !arrivals.has(id)) && performance.now() < drainUntil) await sleep(50);
    } finally {
      await producer.close();
      await running.close();
    }
  } catch (caught) {
    error = describeError(caught);
  } finally {
    await owned.close();
    await new Promise<void>((resolve) => {
      receiver.close(() => resolve());
      receiver.closeAllConnections();
    });
  }
  const latencies = [...sent].flatMap(([id, at]) => (arrivals.has(id) ? [arrivals.get(id)! - at] : [])).sort((a, b) => a - b);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ok: error === undefined && latencies.length > 0,
    ...(error === undefined ? (latencies.length > 0 ? {} : { error: 'no probe alert reached the receiver' }) : { error }),
    targetRate: rate,
    producedRate: loadSeconds > 0 ? Math.round(produced / loadSeconds) : 0,
    processed,
    seconds: round(loadSeconds, 3),
    probes: sent.size,
    received: latencies.length,
    latencyMs:
      latencies.length === 0
        ? null
        : {
            p50: round(percentile(latencies, 50), 1),
            p90: round(percentile(latencies, 90), 1),
            p99: round(percentile(latencies, 99), 1),
            max: round(latencies.at(-1)!, 1),
            mean: round(latencies.reduce((sum, l) => sum + l, 0) / latencies.length, 1),
          },
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
  };
}

/** The receiver: notes when each alert's trigger event arrives, answers 200 at once. */
async function startReceiver(arrivals: Map<string, number>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
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
