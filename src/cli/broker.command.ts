import type { Command } from 'commander';
import { loadConfig } from '../config/vigil-config.js';
import { startLocalBroker } from '../kafka/local-broker.js';
import { createLogger } from '../logging/logger.js';
import { waitForShutdownSignal } from './shutdown.js';

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('run a local single-node Kafka broker (KRaft, official jars) until Ctrl-C')
    .action(async () => {
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
