import type { Command } from 'commander';
import { loadTemplateByRef } from '../app/build-core.js';
import { alertsDeadLetterTopic } from '../model/topics.js';
import { groupId } from '../model/topics.js';
import { loadConfig } from '../config/vigil-config.js';
import { VigilError } from '../errors/vigil-error.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import { createLogger } from '../logging/logger.js';
import { replayDeadLetters } from '../kafka/dead-letter-replay.js';
import type { Template } from '../model/template/template.schema.js';

/** `vigil dlq replay` (bad events) and `vigil alerts replay` (undelivered alerts): one mechanism. */
export function registerReplayCommands(program: Command): void {
  const replay = (name: string, topicOf: (t: Template) => string, what: string) =>
    program
      .command(name)
      .description(`re-send ${what} to where they came from, after fixing the cause`)
      .command('replay')
      .description(`re-send ${what} that were not replayed yet to their original topic`)
      .requiredOption('-t, --template <name|path>', 'template')
      .option('--dry-run', 'count what would be replayed; send nothing')
      .action(async (options: { template: string; dryRun?: boolean }) => {
        const config = loadConfig();
        if (!config.kafkaBrokers) throw new VigilError('VIGIL_CONFIG_INVALID', 'KAFKA_BROKERS is not set: point it at the broker Vigil runs on');
        const { template } = await loadTemplateByRef(config, options.template);
        const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-replay`, logger: createLogger(config.logLevel) });
        const topic = topicOf(template);
        const result = await replayDeadLetters({ kafka, topic, groupId: groupId(template, `${name}-replay`), dryRun: options.dryRun ?? false });
        const targets = Object.entries(result.byTopic).map(([t, n]) => `${n} to ${t}`).join(', ');
        process.stdout.write(`${options.dryRun ? 'would replay' : 'replayed'} ${result.replayed} from ${topic}${targets ? `: ${targets}` : ''}\n`);
      });
  replay('dlq', (t) => t.topics.deadLetter, 'dead-lettered events');
  replay('alerts', alertsDeadLetterTopic, 'undelivered alerts');
}
