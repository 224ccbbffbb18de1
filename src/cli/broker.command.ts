import type { Command } from 'commander';
import { waitForShutdownSignal } from './shutdown.js';

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('run a local single-node Kafka broker (KRaft, official jars) until Ctrl-C')
    .action(async () => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { loadConfig } = await import('../config/vigil-config.js');
      const { startLocalBroker } = await import('../kafka/local-broker.js');
      const { createLogger } = await import('../logging/logger.js');
      const config = loadConfig();
      const broker = await startLocalBroker({
        cacheDir: config.kafkaCacheDir,
        logger: createLogger(config.logLevel),
        notice: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`Kafka is up: export KAFKA_BROKERS=${broker.brokers.join(',')}\n`);
      await waitForShutdownSignal();
      await broker.stop();
    });
}
