import type { Command } from 'commander';
import { generateWebhookSecret } from '../alerts/webhook.secret.js';
import { startLocalReceiver } from '../alerts/local-receiver.js';
import { buildCore } from '../app/build-core.js';
import { SERVICE_NAMES } from '../app/services.js';
import { startStages } from '../app/stage-launcher.js';
import { loadConfig } from '../config/vigil-config.js';
import { createLogger } from '../logging/logger.js';
import { simulateToKafka } from '../simulate/simulate-to-kafka.js';
import { DemoProgress } from './demo-progress.js';
import { waitForDrain } from './drain.js';
import { printDemoSummary } from './demo-summary.js';
import { builtInGenerators } from '../domains/domains.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('a template end to end on this machine: local Kafka, simulator, all stages, embedded ClickHouse, a local webhook receiver')
    .option('-t, --template <name|path>', 'template', 'finance')
    .option('-n, --count <n>', 'events to simulate', '10000')
    .option('-r, --rate <events/s>', "events per second (default: the template's simulator rate)")
    .option('--speed <factor>', 'event time runs this many times faster than real time, so minutes-long fraud patterns fit a short demo', '30')
    .option('--receiver-port <port>', 'port of the local webhook receiver (0: any free port)', '4000')
    .option('--keep-running', 'keep the pipeline, API and receiver up after the run until Ctrl-C (default when run from a terminal)')
    .option('--no-keep-running', 'exit after the run and its summary')
    .action(async (options: { template: string; count: string; rate?: string; speed: string; receiverPort: string; keepRunning?: boolean }) => {
      const base = loadConfig();
      const log = createLogger(base.logLevel === 'info' ? 'warn' : base.logLevel);
      const secret = base.webhookSecret ?? generateWebhookSecret();
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);

      const receiverOut = new CollectingStream();
      const receiver = await startLocalReceiver({ port: Number(options.receiverPort), secrets: [secret], log, out: receiverOut as unknown as NodeJS.WritableStream });
      const config = { ...base, templateEnv: { ...base.templateEnv, VIGIL_WEBHOOK_URL: `${receiver.url}/alerts`, VIGIL_WEBHOOK_SECRET: secret } };
      process.stdout.write(`Vigil demo: template ${options.template}, ${options.count} events${config.kafkaBrokers ? '' : '; starting a local Kafka broker'}…\n`);
      const owned = await buildCore({ config, template: options.template, clickhouse: true, logger: log });
      const { core } = owned;
      let stages;
      try {
        stages = await startStages(core, SERVICE_NAMES);
        process.stdout.write(
          `Kafka ${owned.brokers.join(',')} · ClickHouse ${config.clickhouse.mode === 'embedded' ? config.clickhouse.path : 'server'} · API ${stages.apiUrl} · receiver ${receiver.url}\n`,
        );
        const count = Number(options.count);
        const progress = new DemoProgress(core, count);
        const producer = await core.kafka.producer();
        let sent;
        try {
          sent = await simulateToKafka({
          generators: builtInGenerators(),
            template: core.template,
            producer,
            count,
            ...(options.rate === undefined ? {} : { rate: Number(options.rate) }),
            speed: Number(options.speed),
            signal: stop.signal,
            onProgress: (p) => progress.sent(p.events),
          });
        } finally {
          await producer.close();
        }
        const drained = await waitForDrain(core, sent.events, { signal: stop.signal, timeoutMs: 120_000, onTick: () => progress.refresh() });
        await progress.stop();
        if (stop.signal.aborted) return;
        await printDemoSummary(core, { sent, drained, receiver, apiUrl: stages.apiUrl!, receiverLines: receiverOut.lines });
        if (!drained.ok) process.exitCode = 1;
        const keep = options.keepRunning ?? Boolean(process.stdin.isTTY);
        if (keep && !stop.signal.aborted) {
          process.stdout.write('Still running for you to explore; Ctrl-C stops it.\n');
          await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
        }
      } finally {
        process.stdout.write('Stopping: finishing in-flight batches and committing offsets…\n');
        await stages?.close();
        await owned.close();
        await receiver.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

/** Keeps the receiver's one-line summaries for the report instead of interleaving them with the progress bar. */
class CollectingStream {
  readonly lines: string[] = [];
  write(chunk: string | Buffer): boolean {
    for (const line of String(chunk).split('\n')) if (line.trim()) this.lines.push(line);
    return true;
  }
}
