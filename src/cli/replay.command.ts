import type { Command } from 'commander';
import { VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';

/** `vigil dlq replay` (bad events) and `vigil alerts replay` (undelivered alerts): one mechanism. */
export function registerReplayCommands(program: Command): void {
  const replay = (name: string, topicOf: (t: Template) => string | Promise<string>, what: string) =>
    program
      .command(name)
      .description(`re-send ${what} to where they came from, after fixing the cause`)
      .command('replay')
      .description(`re-send ${what} that were not replayed yet to their original topic`)
      .requiredOption('-t, --template <name|path>', 'template')
      .option('--dry-run', 'count what would be replayed; send nothing')
      .action(async (options: { template: string; dryRun?: boolean }) => {
        // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
        const { loadTemplateByRef } = await import('../app/build-core.js');
        const { groupId } = await import('../model/topics.js');
        const { loadConfig } = await import('../config/vigil-config.js');
        const { createKafkajsClient } = await import('../kafka/kafkajs.client.js');
        const { createLogger } = await import('../logging/logger.js');
        const { replayDeadLetters } = await import('../kafka/dead-letter-replay.js');
        const config = loadConfig();
        if (!config.kafkaBrokers) throw new VigilError('VIGIL_CONFIG_INVALID', 'KAFKA_BROKERS is not set: point it at the broker Vigil runs on');
        const { template } = await loadTemplateByRef(config, options.template);
        const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-replay`, logger: createLogger(config.logLevel) });
        const topic = await topicOf(template);
        const result = await replayDeadLetters({ kafka, topic, groupId: groupId(template, `${name}-replay`), dryRun: options.dryRun ?? false });
        const targets = Object.entries(result.byTopic).map(([t, n]) => `${n} to ${t}`).join(', ');
        process.stdout.write(`${options.dryRun ? 'would replay' : 'replayed'} ${result.replayed} from ${topic}${targets ? `: ${targets}` : ''}\n`);
      });
  replay('dlq', (t) => t.topics.deadLetter, 'dead-lettered events');
  replay('alerts', async (t) => (await import('../model/topics.js')).alertsDeadLetterTopic(t), 'undelivered alerts');
}
