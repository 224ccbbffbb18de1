import type { Command } from 'commander';
import type { RunningStages } from '../app/stage-launcher.js';
import { waitForShutdownSignal } from './shutdown.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description("run a template's stages (all of them, or a subset to scale out by partitions)")
    .requiredOption('-t, --template <name|path>', 'a template name from the templates directory, or a path to a template file')
    .option('-s, --services <list>', 'comma-separated subset of detect,sink,notify,api', 'all')
    .action(async (options: { template: string; services: string }) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { buildCore } = await import('../app/build-core.js');
      const { lowerProcessPriority } = await import('../app/process-priority.js');
      const { needsClickHouse, parseServices, runsBatchWorkOnly } = await import('../app/services.js');
      const { startStages } = await import('../app/stage-launcher.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { exitWhenBrokerLost } = await import('./broker-lost.js');
      const config = loadConfig();
      const services = parseServices(options.services);
      // Before the engine starts its threads, so they inherit the priority.
      const niced = runsBatchWorkOnly(services) && config.sink.nice > 0 ? lowerProcessPriority(config.sink.nice) : 0;
      const owned = await buildCore({
        config,
        template: options.template,
        clickhouse: needsClickHouse(services, config.clickhouse.mode),
        // A person at a terminal sees why the first start is slow; logs alone say it in JSON.
        ...(process.stderr.isTTY ? { notice: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      });
      const log = owned.core.logger;
      let stages: RunningStages | undefined;
      exitWhenBrokerLost(owned.brokerLost, async () => {
        await stages?.close();
        await owned.close();
      });
      try {
        stages = await startStages(owned.core, services);
        log.info(
          { template: owned.core.template.name, services, brokers: owned.brokers, api: stages.apiUrl, ...(niced > 0 ? { nice: config.sink.nice } : {}) },
          'vigil is running; Ctrl-C stops it',
        );
        const signal = await waitForShutdownSignal();
        log.info({ signal }, 'stopping: finishing in-flight batches and committing offsets');
        await stages.close();
      } finally {
        await owned.close();
      }
    });
}
