import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { BacktestReport } from '../backtest/report.js';
import type { Logger } from '../logging/logger.js';
import type { DetectorLogger } from '../model/detector.js';
import type { HistoryInputOptions } from './backtest-input.js';

interface BacktestOptions extends HistoryInputOptions {
  template: string;
  from?: string;
  to?: string;
  evaluateFrom?: string;
  evaluateTo?: string;
  score?: string;
  report?: string;
  store?: boolean;
  predictions?: string;
}

export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest')
    .description("replay a labelled history file through the template's detectors in event time, without Kafka, and measure detection quality")
    .requiredOption('-t, --template <name|path>', 'template name or path')
    .option('-i, --input <file>', 'history: .csv or .jsonl, optionally gzipped (health: PhysioNet/CinC 2019 .csv[.gz])')
    .option('--topic [name]', "replay a topic's messages instead (default: the template's input topic), with --labels; needs KAFKA_BROKERS")
    .option('-m, --map <name>', "read the file with the template's backtest.mappings.<name> (columns to canonical fields)")
    .option('--format <csv|jsonl>', 'input format (default: from the file name)')
    .option('--from <time>', 'replay events at or after this time (ISO date or time, UTC)')
    .option('--to <time>', 'replay events before this time')
    .option('--evaluate-from <time>', 'measure only events at or after this time (earlier ones warm the detectors up)')
    .option('--evaluate-to <time>', 'measure only events before this time')
    .option('--labels <field>', 'column or dotted path of the fraud label (default: the mapping\'s label)')
    .option('--scenario <field>', 'column or dotted path of the fraud scenario')
    .option('--feedback-delay <duration>', 'labels reach detectors this long after their transaction', '7d')
    .option('--score <signal>', 'signal to rank transactions by (default: the risk_score detector\'s score)')
    .option('--report <file>', 'write the full report as JSON')
    .option('--store', 'also write metrics to backtest_metrics in the embedded ClickHouse (always done when CLICKHOUSE_URL is set)')
    .option('--predictions <file>', 'health: write patient_id,ICULOS,score,prediction per input row')
    .action(async (options: BacktestOptions) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { SingleBar, Presets } = await import('cli-progress');
      const { loadTemplateByRef } = await import('../app/build-core.js');
      const { detectorSlots } = await import('../runtime/detector-slots.js');
      const { buildReport } = await import('../backtest/report.js');
      const { replay } = await import('../backtest/replay.js');
      const { storeMetrics } = await import('../backtest/store-metrics.js');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { createLogger } = await import('../logging/logger.js');
      const { openHistoryInput, timeOption } = await import('./backtest-input.js');
      const config = loadConfig();
      if (options.template === 'health') {
        const { backtestHealth } = await import('./backtest-health.js');
        return backtestHealth(config, options);
      }
      const loaded = await loadTemplateByRef(config, options.template);
      const { template } = loaded;
      const { source, feedbackDelay } = await openHistoryInput(config, template, options);
      const slots = detectorSlots(loaded);
      const log = createLogger(config.logLevel, 'backtest');

      const bar = new SingleBar(
        { format: 'backtest |{bar}| {percentage}% | {events} events | {rate} events/s', noTTYOutput: false, stream: process.stderr },
        Presets.shades_classic,
      );
      bar.start(source.totalBytes, 0, { events: 0, rate: 0 });
      const started = performance.now();
      const result = await replay({
        template,
        slots,
        rows: source.batches,
        feedbackDelay,
        from: timeOption('--from', options.from),
        to: timeOption('--to', options.to),
        scoreSignal: options.score,
        log: detectorLog(log),
        onProgress: ({ events }) => bar.update(source.bytesRead(), { events, rate: Math.round((events / (performance.now() - started)) * 1000) }),
      });
      bar.update(source.totalBytes);
      bar.stop();

      const report = buildReport(result, {
        runId: randomUUID(),
        template: template.name,
        input: options.input === undefined ? `topic ${typeof options.topic === 'string' ? options.topic : template.topics.input}` : path.basename(options.input),
        feedbackDelay,
        slots,
        evaluateFrom: timeOption('--evaluate-from', options.evaluateFrom),
        evaluateTo: timeOption('--evaluate-to', options.evaluateTo),
        now: Date.now(),
      });
      process.stdout.write(summary(report));
      if (options.report) {
        await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
        process.stdout.write(`report: ${options.report}\n`);
      }
      if (config.clickhouse.mode === 'server' || options.store) {
        const rows = await storeMetrics(config.clickhouse, report);
        process.stdout.write(`backtest_metrics: ${rows} rows for run ${report.run_id}\n`);
      }
    });
}

/** Detector logs through pino (details first, pino's order). */
export function detectorLog(log: Logger): DetectorLogger {
  return { debug: (m, d) => log.debug(d ?? {}, m), info: (m, d) => log.info(d ?? {}, m), warn: (m, d) => log.warn(d ?? {}, m) };
}

function summary(report: BacktestReport): string {
  const r = report.replay;
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
  const lines = [
    `replayed ${r.events} events in ${(r.elapsed_ms / 1000).toFixed(1)}s (${r.events_per_second} events/s); ${r.invalid} invalid, ${r.late} late, ${r.labels_delivered} labels delivered`,
    `evaluated ${report.evaluated.from ?? 'start'} .. ${report.evaluated.to ?? 'end'} (score: ${report.score_signal ?? 'highest finding score'})`,
    `  Handbook protocol: ${report.handbook_protocol.events} transactions, ${report.handbook_protocol.frauds} fraud: AUC ROC ${fmt(report.handbook_protocol.auc_roc)}  AP ${fmt(report.handbook_protocol.average_precision)}  CP@100 ${fmt(report.handbook_protocol.card_precision_at_100)}`,
    `  all transactions:  ${report.all_transactions.events} transactions, ${report.all_transactions.frauds} fraud: AUC ROC ${fmt(report.all_transactions.auc_roc)}  AP ${fmt(report.all_transactions.average_precision)}  CP@100 ${fmt(report.all_transactions.card_precision_at_100)}`,
    `  alerts at the template's thresholds: ${report.alerts.alerts} (precision ${fmt(report.alerts.precision)}, recall ${fmt(report.alerts.recall)}); median time to detection ${formatDuration(report.time_to_detection.medianMs)} over ${report.time_to_detection.detectedCards}/${report.time_to_detection.fraudCards} fraud cards`,
    ...report.detectors.map((d) => `  ${d.detector} (${d.type}): ${d.findings} findings, ${d.alerts} alerts, precision ${fmt(d.precision)}, recall ${fmt(d.recall)}, ${d.frauds_only_it_caught} frauds only it caught`),
  ];
  return `${lines.join('\n')}\n`;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)}d`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)}h`;
  return `${Math.round(ms / 60_000)}m`;
}
