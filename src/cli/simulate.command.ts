import type { Command } from 'commander';
import { VigilError } from '../errors/vigil-error.js';
import { labelledAs } from './labelled-as.js';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description("produce the template's realistic, labelled traffic to its input topic")
    .requiredOption('-t, --template <name|path>', 'template name or path')
    .option('-r, --rate <events/s>', "events per second (default: the template's simulator rate)")
    .option('-n, --count <n>', 'stop after this many events')
    .option('-d, --duration <duration>', 'stop after this long (real time), e.g. 30s, 5m')
    .option('--speed <factor>', 'event time runs this many times faster than real time', '1')
    .action(async (options: { template: string; rate?: string; count?: string; duration?: string; speed: string }) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { loadTemplateByRef } = await import('../app/build-core.js');
      const { templateTopics } = await import('../model/topics.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { createKafkajsClient } = await import('../kafka/kafkajs.client.js');
      const { createLogger } = await import('../logging/logger.js');
      const { builtInGenerators } = await import('../domains/domains.js');
      const { simulateToKafka } = await import('../simulate/simulate-to-kafka.js');
      const { parseDuration } = await import('../model/template/duration.js');
      const config = loadConfig();
      if (!config.kafkaBrokers) {
        throw new VigilError('VIGIL_CONFIG_INVALID', 'KAFKA_BROKERS is not set: point it at the broker Vigil runs on (vigil run and vigil broker print it)');
      }
      const durationMs = options.duration === undefined ? undefined : parseDuration(options.duration);
      if (options.duration !== undefined && durationMs === undefined) throw new VigilError('VIGIL_CONFIG_INVALID', `--duration: expected duration like "30s", got "${options.duration}"`);
      const loaded = await loadTemplateByRef(config, options.template);
      const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-simulator`, logger: createLogger(config.logLevel) });
      const admin = await kafka.admin();
      await admin.ensureTopics(templateTopics(loaded.template));
      await admin.close();
      const producer = await kafka.producer();
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      let lastPrint = 0;
      const labelled = labelledAs(loaded.template.domain);
      try {
        const result = await simulateToKafka({
          generators: builtInGenerators(),
          template: loaded.template,
          producer,
          ...(options.rate === undefined ? {} : { rate: Number(options.rate) }),
          ...(options.count === undefined ? {} : { count: Number(options.count) }),
          ...(durationMs === undefined ? {} : { durationMs }),
          speed: Number(options.speed),
          signal: stop.signal,
          onProgress: (p) => {
            if (Date.now() - lastPrint < 1000) return;
            lastPrint = Date.now();
            process.stderr.write(`\rsent ${p.events} events (${p.fraud} labelled ${labelled})`);
          },
        });
        process.stderr.write(`\rsent ${result.events} events (${result.fraud} labelled ${labelled}) to ${loaded.template.topics.input}\n`);
      } finally {
        await producer.close();
      }
    });
}
