import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { VigilError } from '../errors/vigil-error.js';
import type { BoostedSepsisModel, SepsisModel } from '../domains/health/sepsis/sepsis-model.js';

interface FitSepsisOptions {
  input: string;
  output?: string;
  model: string;
}

const KINDS = ['logistic', 'boosted-trees'];

/**
 * Fits the health template's sepsis score on the fitting half of a PhysioNet-format file (patients
 * split by a hash of their id; the evaluation half is skipped unread) and writes the model as
 * plain JSON numbers for templates/health/sepsis-model.json: a logistic regression (the default) or
 * boosted trees (`--model boosted-trees`).
 */
export function registerFitSepsisCommand(program: Command): void {
  program
    .command('fit-sepsis')
    .description("fit the health template's sepsis score (logistic regression or boosted trees) on the fitting half of a PhysioNet/CinC 2019 file")
    .requiredOption('-i, --input <file>', 'PhysioNet-format vitals: .csv or .csv.gz')
    .option('-o, --output <file>', 'write the model JSON here (default: stdout)')
    .option('--model <kind>', `${KINDS.join(' or ')}`, 'logistic')
    .action(async (options: FitSepsisOptions) => {
      if (!KINDS.includes(options.model)) throw new VigilError('VIGIL_CONFIG_INVALID', `--model: expected ${KINDS.join(' or ')}, got ${options.model}`);
      const { readHourTable } = await import('../domains/health/sepsis/hour-table.js');
      const started = performance.now();
      let fit: { model: SepsisModel; outOfFold: { utility: number; auroc: number } };
      let how: string;
      if (options.model === 'boosted-trees') {
        const { fitBoostedSepsis } = await import('../domains/health/sepsis/fit-boosted-sepsis.js');
        const { BOOSTED_FEATURES } = await import('../domains/health/sepsis/boosted-features.js');
        fit = fitBoostedSepsis(await readHourTable(options.input, 'fit', BOOSTED_FEATURES));
        how = `${(fit.model as BoostedSepsisModel).trees.length} trees`;
      } else {
        const { fitSepsis } = await import('../domains/health/sepsis/fit-sepsis.js');
        const logistic = fitSepsis(await readHourTable(options.input, 'fit'));
        fit = logistic;
        how = `${logistic.iterations} Newton steps, log-loss ${logistic.logLoss.toFixed(5)}`;
      }
      const { patients, hours, sepsisHours } = fit.model.fitted as { patients: number; hours: number; sepsisHours: number };
      process.stderr.write(
        `fitted on ${patients} patients, ${hours} hours (${sepsisHours} labelled sepsis), ` +
          `${how}; out-of-fold on the fitting half: ` +
          `utility ${fit.outOfFold.utility.toFixed(3)} at threshold ${fit.model.threshold}, AUROC ${fit.outOfFold.auroc.toFixed(3)} ` +
          `(${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
      );
      // A list of numbers on one line (a tree's node arrays), so a model of many trees stays readable.
      const json = `${JSON.stringify(fit.model, null, 2).replace(/\[[-\d.e+,\s]*\]/g, (list) => JSON.stringify(JSON.parse(list)))}\n`;
      if (options.output === undefined) process.stdout.write(json);
      else await writeFile(options.output, json);
    });
}
