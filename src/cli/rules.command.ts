import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { VigilConfig } from '../config/vigil-config.js';
import type { DetectorLogger } from '../model/detector.js';
import { describeError, VigilError } from '../errors/vigil-error.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import type { Template } from '../model/template/template.schema.js';
import { formatTable } from './format-table.js';

/** `vigil rules put|list|delete`: change a running template's rules through its rules topic. */
export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description("change a template's declarative rules at runtime (no restart)");

  rules
    .command('put <file>')
    .description('add or replace a rule from a JSON or YAML file ("-" reads stdin); its version goes up by one')
    .requiredOption('-t, --template <name|path>', 'template')
    .action(async (file: string, options: { template: string }) => {
      const { template, kafka, log } = await connect(options.template);
      const { parseRuleText } = await import('../rules/rule-text.js');
      const { putRule } = await import('../rules/rules-topic.js');
      const { rulesTopic } = await import('../model/topics.js');
      const text = await readInput(file);
      const spec = parseRuleText(text, file === '-' ? 'stdin' : file, template);
      const version = await putRule(kafka, template, spec, log);
      process.stdout.write(`rule ${spec.id} is at version ${version} in ${rulesTopic(template)}\n`);
    });

  rules
    .command('list')
    .description('the rules in force, with their versions')
    .requiredOption('-t, --template <name|path>', 'template')
    .option('--json', 'one JSON rule per line, as stored')
    .action(async (options: { template: string; json?: boolean }) => {
      const { template, kafka, log } = await connect(options.template);
      const { readRuleBook } = await import('../rules/rules-topic.js');
      const { formatDuration } = await import('../model/template/duration.js');
      const book = await readRuleBook(kafka, template, log);
      const active = book.rules().sort((a, b) => a.rule.id.localeCompare(b.rule.id));
      if (options.json) {
        for (const { spec } of active) process.stdout.write(`${JSON.stringify(spec)}\n`);
        return;
      }
      const seeded = template.rules.filter((rule) => book.lastVersion(rule.id) === 0).map((rule) => rule.id);
      process.stdout.write(
        formatTable(
          active.map(({ rule, version }) => ({
            id: rule.id,
            version,
            enabled: rule.enabled,
            key: typeof rule.key === 'string' ? rule.key : rule.key.join('+'),
            aggregate: rule.field === undefined ? rule.aggregate : `${rule.aggregate}(${rule.field})`,
            window: formatDuration(rule.window),
            condition: `${rule.operator} ${rule.limit}`,
            severity: rule.severity,
            filter: rule.filter.map((c) => `${c.field} ${c.op} ${JSON.stringify(c.value)}`).join(' and '),
          })),
        ),
      );
      if (seeded.length > 0) process.stdout.write(`not in the topic yet (the detect stage seeds them at start): ${seeded.join(', ')}\n`);
    });

  rules
    .command('delete <id>')
    .description('delete a rule; its findings stop and its state is dropped')
    .requiredOption('-t, --template <name|path>', 'template')
    .action(async (id: string, options: { template: string }) => {
      const { template, kafka, log } = await connect(options.template);
      const { deleteRule } = await import('../rules/rules-topic.js');
      const { rulesTopic } = await import('../model/topics.js');
      const version = await deleteRule(kafka, template, id, log);
      process.stdout.write(`rule ${id} deleted (version ${version}) in ${rulesTopic(template)}\n`);
    });
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new VigilError('VIGIL_RULE_INVALID', `cannot read ${file}: ${describeError(error)}`, { cause: error });
  }
}

/** Config, template and Kafka client for a rules command; loaded here, not at the top, so registering stays cheap (`vigil --help`). */
async function connect(ref: string): Promise<{ config: VigilConfig; template: Template; kafka: KafkaClient; log: DetectorLogger }> {
  const { loadTemplateByRef } = await import('../app/build-core.js');
  const { loadConfig } = await import('../config/vigil-config.js');
  const { createKafkajsClient } = await import('../kafka/kafkajs.client.js');
  const { createLogger } = await import('../logging/logger.js');
  const config = loadConfig();
  if (!config.kafkaBrokers) throw new VigilError('VIGIL_CONFIG_INVALID', 'KAFKA_BROKERS is not set: point it at the broker Vigil runs on');
  const { template } = await loadTemplateByRef(config, ref);
  const logger = createLogger(config.logLevel);
  const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-rules`, logger });
  const log: DetectorLogger = {
    debug: (message, details) => logger.debug(details ?? {}, message),
    info: (message, details) => logger.debug(details ?? {}, message),
    warn: (message, details) => logger.warn(details ?? {}, message),
  };
  return { config, template, kafka, log };
}
