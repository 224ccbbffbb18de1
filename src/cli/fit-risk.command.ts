import type { Command } from 'commander';
import type { RiskScoreParams } from '../domains/finance/detectors/risk-score/risk-score.params.js';
import type { HistoryInputOptions } from './backtest-input.js';
import { detectorLog } from './backtest.command.js';

interface FitOptions extends HistoryInputOptions {
  template: string;
  detector?: string;
  trainFrom?: string;
  trainTo: string;
}

/**
 * Fits the risk score's weights by logistic regression on a history file's training period, and
 * prints them for the template. The replay stops at `--train-to`, so nothing at or after it (the
 * test period) is read at all, not even its labels.
 */
export function registerFitRiskCommand(program: Command): void {
  program
    .command('fit-risk')
    .description("fit a risk_score detector's bias and weights (logistic regression) on a labelled history's training period")
    .requiredOption('-t, --template <name|path>', 'template name or path')
    .requiredOption('-i, --input <file>', 'history: .csv or .jsonl, optionally gzipped')
    .requiredOption('--train-to <time>', 'fit on events before this time; the replay stops here')
    .option('--train-from <time>', 'fit on events at or after this time (earlier ones only warm the detectors up)')
    .option('-m, --map <name>', "read the file with the template's backtest.mappings.<name>")
    .option('--format <csv|jsonl>', 'input format (default: from the file name)')
    .option('--labels <field>', 'column or dotted path of the fraud label')
    .option('--feedback-delay <duration>', 'labels reach detectors this long after their transaction', '7d')
    .option('--detector <id>', 'the risk_score detector to fit (default: the last one)')
    .action(async (options: FitOptions) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { stringify } = await import('yaml');
      const { loadTemplateByRef } = await import('../app/build-core.js');
      const { detectorSlots } = await import('../runtime/detector-slots.js');
      const { fitLogistic } = await import('../backtest/fit/logistic-regression.js');
      const { replay } = await import('../backtest/replay.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { compileRiskInput, rawValue, transform } = await import('../domains/finance/detectors/risk-score/risk-input.js');
      const { createLogger } = await import('../logging/logger.js');
      const { invalid, openHistoryInput, timeOption } = await import('./backtest-input.js');
      const config = loadConfig();
      const loaded = await loadTemplateByRef(config, options.template);
      const slots = detectorSlots(loaded);
      const risk = slots.filter((s) => s.definition.meta.name === 'risk_score' && (options.detector === undefined || s.id === options.detector)).at(-1);
      if (!risk) throw invalid(`template ${loaded.template.name} has no risk_score detector${options.detector ? ` "${options.detector}"` : ''}`);
      const params = risk.params as RiskScoreParams;
      const trainFrom = timeOption('--train-from', options.trainFrom) ?? -Infinity;
      const trainTo = timeOption('--train-to', options.trainTo)!;
      const { source, feedbackDelay } = await openHistoryInput(config, loaded.template, options);

      const dims = params.inputs.length;
      const inputs = params.inputs.map(compileRiskInput);
      let rows = new Float64Array(dims * 1024);
      let labels = new Uint8Array(1024);
      let n = 0;
      const result = await replay({
        template: loaded.template,
        slots,
        rows: source.batches,
        feedbackDelay,
        to: trainTo,
        log: detectorLog(createLogger(config.logLevel, 'fit-risk')),
        onEvent: (event, signals, fraud) => {
          if (fraud === undefined || event.time < trainFrom) return;
          if (n === labels.length) {
            const moreRows = new Float64Array(rows.length * 2);
            moreRows.set(rows);
            rows = moreRows;
            const moreLabels = new Uint8Array(labels.length * 2);
            moreLabels.set(labels);
            labels = moreLabels;
          }
          inputs.forEach((input, j) => (rows[n * dims + j] = transform(input, rawValue(input, event.fields, signals))));
          labels[n++] = fraud ? 1 : 0;
        },
      });
      const model = fitLogistic(rows.subarray(0, n * dims), labels.subarray(0, n), dims);
      const frauds = labels.subarray(0, n).reduce((a, b) => a + b, 0);
      process.stderr.write(
        `fitted ${risk.id} on ${n} transactions (${frauds} fraud) of ${result.outcomes.size} replayed, ${model.iterations} Newton steps, log-loss ${model.logLoss.toFixed(5)}\n`,
      );
      // The template's own shape: one flow mapping per input, defaults left out.
      const lines = params.inputs.map((input, j) => {
        const { name, signal, field, transform: kind, at, cap, missing } = input;
        const entries: [string, unknown][] = [['name', name], ['signal', signal], ['field', field]];
        if (kind !== 'linear') entries.push(['transform', kind]);
        if (kind === 'indicator' || kind === 'hinge') entries.push(['at', at]);
        entries.push(['cap', cap], ['missing', missing === 0 ? undefined : missing], ['weight', round(model.weights[j]!)]);
        return `  - { ${entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${stringify(v).trim()}`).join(', ')} }`;
      });
      process.stdout.write(`bias: ${round(model.bias)}\ninputs:\n${lines.join('\n')}\n`);
    });
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
