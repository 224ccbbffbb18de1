import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VigilConfig } from '../config/vigil-config.js';
import { VigilError } from '../errors/vigil-error.js';
import { backtestPhysionet } from '../domains/health/backtest/physionet-backtest.js';
import { validateSepsisModel } from '../domains/health/sepsis/sepsis-model.js';
import { invalid } from './backtest-input.js';

/**
 * `vigil backtest --template health --input <PhysioNet .csv[.gz]> --predictions <out.csv>`: the
 * sepsis score of templates/health/sepsis-model.json replayed over the file (until the health
 * template itself exists, this is its backtest).
 */
export async function backtestHealth(config: VigilConfig, options: { input?: string; predictions?: string }): Promise<void> {
  if (options.input === undefined || options.predictions === undefined) throw invalid('--template health needs --input <PhysioNet .csv[.gz]> and --predictions <out.csv>');
  const file = path.join(config.templatesDir, 'health', 'sepsis-model.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new VigilError('VIGIL_TEMPLATE_NOT_FOUND', `${file}: cannot read the health sepsis model (fit it with vigil fit-sepsis)`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VigilError('VIGIL_TEMPLATE_INVALID', `${file}: not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const model = validateSepsisModel(parsed, file);
  const started = performance.now();
  const result = await backtestPhysionet(options.input, options.predictions, model);
  const lines = [
    `replayed ${result.rows} patient-hours of ${result.patients} patients in ${((performance.now() - started) / 1000).toFixed(1)}s; ${result.alertHours} alert hours at threshold ${model.threshold}`,
    `predictions: ${options.predictions}`,
  ];
  if (result.labelled)
    lines.push(
      `SepsisLabel (report only): ${result.labelled.sepsisHours} sepsis hours; normalised utility ${result.labelled.utility.toFixed(3)}, AUROC ${result.labelled.auroc.toFixed(3)} over the whole file`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}
