import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';

interface FitSepsisOptions {
  input: string;
  output?: string;
}

/**
 * Fits the health template's sepsis score on the fitting half of a PhysioNet-format file (patients
 * split by a hash of their id; the evaluation half is skipped unread) and writes the model as
 * plain JSON numbers for templates/health/sepsis-model.json.
 */
export function registerFitSepsisCommand(program: Command): void {
  program
    .command('fit-sepsis')
    .description("fit the health template's sepsis score (logistic regression) on the fitting half of a PhysioNet/CinC 2019 file")
    .requiredOption('-i, --input <file>', 'PhysioNet-format vitals: .csv or .csv.gz')
    .option('-o, --output <file>', 'write the model JSON here (default: stdout)')
    .action(async (options: FitSepsisOptions) => {
      const { readHourTable } = await import('../domains/health/sepsis/hour-table.js');
      const { fitSepsis } = await import('../domains/health/sepsis/fit-sepsis.js');
      const started = performance.now();
      const table = await readHourTable(options.input, 'fit');
      const fit = fitSepsis(table);
      process.stderr.write(
        `fitted on ${table.patients.length} patients, ${table.labels.length} hours (${fit.model.fitted?.sepsisHours as number} labelled sepsis), ` +
          `${fit.iterations} Newton steps, log-loss ${fit.logLoss.toFixed(5)}; out-of-fold on the fitting half: ` +
          `utility ${fit.outOfFold.utility.toFixed(3)} at threshold ${fit.model.threshold}, AUROC ${fit.outOfFold.auroc.toFixed(3)} ` +
          `(${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
      );
      const json = `${JSON.stringify(fit.model, null, 2)}\n`;
      if (options.output === undefined) process.stdout.write(json);
      else await writeFile(options.output, json);
    });
}
