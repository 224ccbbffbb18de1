import 'reflect-metadata';
import { Command } from 'commander';
import { isVigilError } from '../errors/vigil-error.js';
import { registerAckCommand } from './ack.command.js';
import { registerAnomalyCommand } from './anomaly.command.js';
import { registerBacktestCommand } from './backtest.command.js';
import { registerBrokerCommand } from './broker.command.js';
import { registerDemoCommand } from './demo.command.js';
import { registerFitRiskCommand } from './fit-risk.command.js';
import { registerFitSepsisCommand } from './fit-sepsis.command.js';
import { registerNews2Command } from './news2.command.js';
import { registerQueryCommand } from './query.command.js';
import { registerReceiverCommand } from './receiver.command.js';
import { registerReplayCommands } from './replay.command.js';
import { registerRulesCommand } from './rules.command.js';
import { registerRunCommand } from './run.command.js';
import { registerSentimentCommand } from './sentiment.command.js';
import { registerSimulateCommand } from './simulate.command.js';
import { registerTemplatesCommand } from './templates.command.js';

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or input (template, query), 3 a dependency is down. */
const EXIT_BY_CODE: Record<string, number> = {
  VIGIL_CONFIG_INVALID: 2,
  VIGIL_TEMPLATE_INVALID: 2,
  VIGIL_TEMPLATE_NOT_FOUND: 2,
  VIGIL_DETECTOR_UNKNOWN: 2,
  VIGIL_DETECTOR_LOAD: 2,
  VIGIL_QUERY: 2,
  VIGIL_QUERY_LIMIT: 2,
  VIGIL_RULE_INVALID: 2,
  VIGIL_RULE_NOT_FOUND: 2,
  VIGIL_ACK_INVALID: 2,
  VIGIL_KAFKA: 3,
  VIGIL_BROKER_START: 3,
  VIGIL_SINK_WRITE: 3,
  VIGIL_API_UNREACHABLE: 3,
};

const program = new Command('vigil')
  .description('Real-time, domain-aware analytics on Kafka streams')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

// Registering is cheap: each command imports what its action needs (NestJS, kafkajs, chdb, zod…)
// only when it runs, so `vigil --help` loads commander alone (test/integration/cli-startup.int-spec.ts).
registerRunCommand(program);
registerBacktestCommand(program);
registerFitRiskCommand(program);
registerFitSepsisCommand(program);
registerSimulateCommand(program);
registerTemplatesCommand(program);
registerQueryCommand(program);
registerReceiverCommand(program);
registerReplayCommands(program);
registerRulesCommand(program);
registerBrokerCommand(program);
registerDemoCommand(program);
registerSentimentCommand(program);
registerNews2Command(program);
registerAnomalyCommand(program);
registerAckCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isVigilError(error)) {
    process.stderr.write(`vigil: ${error.code}: ${error.message}\n`);
    process.exitCode = EXIT_BY_CODE[error.code] ?? 1;
  } else {
    process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
