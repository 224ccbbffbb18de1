import type { Command } from 'commander';
import type { RunningStages } from '../app/stage-launcher.js';
import type { DemoProgress } from './demo-progress.js';

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
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { generateWebhookSecret } = await import('../alerts/webhook.secret.js');
      const { startLocalReceiver } = await import('../alerts/local-receiver.js');
      const { buildCore } = await import('../app/build-core.js');
      const { SERVICE_NAMES } = await import('../app/services.js');
      const { startStages } = await import('../app/stage-launcher.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { createLogger } = await import('../logging/logger.js');
      const { builtInGenerators } = await import('../domains/domains.js');
      const { simulateToKafka, simulationStart } = await import('../simulate/simulate-to-kafka.js');
      const { exitWhenBrokerLost } = await import('./broker-lost.js');
      const { lastInputEventTime } = await import('./demo-clock.js');
      const { DemoProgress } = await import('./demo-progress.js');
      const { waitForDrain, waitForGroups } = await import('./drain.js');
      const { printDemoSummary } = await import('./demo-summary.js');
      const { pipelineCounts } = await import('./pipeline-counts.js');
      const base = loadConfig();
      const log = createLogger(base.logLevel === 'info' ? 'warn' : base.logLevel);
      const secret = base.webhookSecret ?? generateWebhookSecret();
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const say = (line: string) => process.stdout.write(`${line}\n`);

      const receiverOut = new CollectingStream();
      const receiver = await startLocalReceiver({ port: Number(options.receiverPort), secrets: [secret], log, out: receiverOut as unknown as NodeJS.WritableStream });
      const config = { ...base, templateEnv: { ...base.templateEnv, VIGIL_WEBHOOK_URL: `${receiver.url}/alerts`, VIGIL_WEBHOOK_SECRET: secret } };
      say(`Vigil demo: template ${options.template}, ${options.count} events${config.kafkaBrokers ? '' : '; starting a local Kafka broker'}…`);
      const owned = await buildCore({ config, template: options.template, clickhouse: true, logger: log, notice: say });
      const { core } = owned;
      let stages: RunningStages | undefined;
      let progress: DemoProgress | undefined;
      let sentSoFar = 0;
      const close = async () => {
        await progress?.stop();
        await stages?.close();
        await owned.close();
        await receiver.close();
      };
      exitWhenBrokerLost(owned.brokerLost, close);
      try {
        stages = await startStages(core, SERVICE_NAMES);
        say(`Kafka ${owned.brokers.join(',')} · ClickHouse ${config.clickhouse.mode === 'embedded' ? config.clickhouse.path : 'server'} · API ${stages.apiUrl} · receiver ${receiver.url}`);
        const count = Number(options.count);
        const simulation = {
          template: core.template,
          count,
          ...(options.rate === undefined ? {} : { rate: Number(options.rate) }),
          speed: Number(options.speed),
          keepEventSpacing: true,
        };
        // The detect stage's watermark is kept in Kafka: a re-run timed before it would be all late.
        const last = await lastInputEventTime(core);
        const notBeforeMs = last === undefined ? undefined : last + 1_000;
        const start = simulationStart({ ...simulation, ...(notBeforeMs === undefined ? {} : { notBeforeMs }) });
        if (start.shifted) say(`Event time continues after the newest event already in Kafka (${new Date(last!).toISOString()}), so this run's events are not late.`);
        progress = new DemoProgress(core, count);
        const producer = await core.kafka.producer();
        let sent;
        try {
          sent = await simulateToKafka({
            generators: builtInGenerators(),
            ...simulation,
            producer,
            ...(notBeforeMs === undefined ? {} : { notBeforeMs }),
            signal: stop.signal,
            onProgress: (p) => {
              sentSoFar = p.events;
              progress?.sent(p.events);
            },
          });
        } finally {
          await producer.close();
        }
        const drained = await waitForGroups(
          core,
          await waitForDrain(core, sent.events, { signal: stop.signal, timeoutMs: 120_000, onTick: () => progress?.refresh() }),
          { signal: stop.signal, onTick: () => progress?.refresh() },
        );
        await progress.stop();
        if (stop.signal.aborted) return;
        await printDemoSummary(core, { sent, drained, receiver, apiUrl: stages.apiUrl!, receiverLines: receiverOut.lines });
        if (!drained.ok) process.exitCode = 1;
        const keep = options.keepRunning ?? Boolean(process.stdin.isTTY);
        if (keep && !stop.signal.aborted) {
          say('Still running for you to explore; Ctrl-C stops it.');
          await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
        }
      } finally {
        say('\nStopping: finishing in-flight batches and committing offsets…');
        await progress?.stop();
        await stages?.close();
        if (stop.signal.aborted && stages) {
          const c = await pipelineCounts(core);
          say(`Stopped cleanly: sent ${sentSoFar} events this run · processed ${c.processed} · late ${c.late} · dead-lettered ${c.deadLetters} · stored ${c.storedEvents}; events not processed yet wait in Kafka for the next run.`);
        }
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
