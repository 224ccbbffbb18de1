import type { Command } from 'commander';
import { waitForShutdownSignal } from './shutdown.js';

export function registerReceiverCommand(program: Command): void {
  program
    .command('receiver')
    .description('a local webhook receiver that verifies signatures and prints the alerts it gets')
    .option('-p, --port <port>', 'port to listen on', '4000')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--secret <whsec>', 'signing secret to verify with (default: $VIGIL_WEBHOOK_SECRET)')
    .action(async (options: { port: string; host: string; secret?: string }) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { startLocalReceiver } = await import('../alerts/local-receiver.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { createLogger } = await import('../logging/logger.js');
      const config = loadConfig();
      const secret = options.secret ?? config.webhookSecret;
      const receiver = await startLocalReceiver({
        port: Number(options.port),
        host: options.host,
        secrets: secret ? [secret] : [],
        log: createLogger(config.logLevel),
      });
      process.stdout.write(`receiving alerts on ${receiver.url}${secret ? ' (verifying signatures)' : ' (no secret: signatures not verified)'}\n`);
      await waitForShutdownSignal();
      await receiver.close();
    });
}
