import type { Command } from 'commander';
import type { VigilConfig } from '../config/vigil-config.js';

interface AckOptions {
  readonly for: string;
  readonly comment?: string;
  readonly template: string;
  readonly json?: boolean;
}

/** `vigil ack <patient> --for 30m -t <template>`: acknowledge a patient through the running API. */
export function registerAckCommand(program: Command): void {
  program
    .command('ack <patient>')
    .description("acknowledge a patient: quiet their alerts of a template for a while, through the running API (needs an operator's VIGIL_API_TOKEN)")
    .requiredOption('--for <duration>', 'how long, like 30m (at most 24h)')
    .option('--comment <text>', 'why, for the audit trail')
    .requiredOption('-t, --template <name|path>', 'the running template')
    .option('--json', 'print the acknowledgement as the API returned it')
    .action(async (patient: string, options: AckOptions) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { loadConfig } = await import('../config/vigil-config.js');
      const { callApi, refusal } = await import('./api-call.js');
      const config = loadConfig();
      const name = await templateName(config, options.template);
      const path = `/templates/${encodeURIComponent(name)}/patients/${encodeURIComponent(patient)}/acknowledge`;
      const answer = await callApi(config, 'POST', path, { for: options.for, ...(options.comment === undefined ? {} : { comment: options.comment }) });
      if (answer.status !== 201) throw refusal(config, answer, 'VIGIL_ACK_INVALID');
      const ack = answer.body as { id: string; until: number };
      if (options.json) process.stdout.write(`${JSON.stringify(ack)}\n`);
      else process.stdout.write(`acknowledged ${patient} in ${name} until ${new Date(ack.until).toISOString()} (event time); end it early with DELETE /silences/${ack.id}\n`);
    });
}

/** The template's name: as given, or read from the file when a path is given (as `vigil rules` accepts). */
async function templateName(config: VigilConfig, ref: string): Promise<string> {
  const { looksLikePath } = await import('../templates/template.catalog.js');
  if (!looksLikePath(ref)) return ref;
  const { loadTemplateByRef } = await import('../app/build-core.js');
  return (await loadTemplateByRef(config, ref)).template.name;
}
