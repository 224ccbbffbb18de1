import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectorSlots } from '../../../runtime/detector-slots.js';
import { loadTemplate } from '../../../templates/template.loader.js';
import { handbookBaseline } from './handbook/handbook-baseline.js';
import { readTransactions } from './handbook/transaction-table.js';
import { openHistoryFile } from '../../../backtest/history-file.js';
import { handbookProtocol } from '../../../backtest/metrics/handbook-protocol.js';
import { buildReport, type RankingMetrics } from '../../../backtest/report.js';
import { replay } from '../../../backtest/replay.js';
import { builtIns } from '../../domains.js';

/**
 * `npm run eval:finance`: the finance template, as committed, on the Fraud Detection Handbook's
 * simulated transactions, next to the Handbook's published baselines. Nothing is tuned here: the
 * risk weights in the template were fitted by `npm run fit:finance` on 2018-05-01..07-17, and the
 * test week, 2018-07-25..07-31, was never used for fitting or choosing anything. Labels reach the
 * detectors 7 days after their transaction. The replay runs from 2018-04-01 so baselines and label
 * windows are warm; only the test week is measured.
 *
 * `--validation` measures the validation week 2018-07-11..17 instead (the replay stops at 07-18), for
 * choosing inputs with weights fitted up to 07-04 (`--template` names such a trial template), so the
 * test week is looked at once, at the end.
 *
 * `--baseline` also reproduces the Handbook's logistic regression (handbook-baseline.ts) on the same
 * week, trained on the 7 days before the 7-day delay, and scores it with the same protocol and
 * metric code as Vigil: the published numbers are for a week this file does not have.
 */
const DAY = 86_400_000;
const args = parseArgs({
  allowPositionals: true,
  options: { input: { type: 'string', short: 'i' }, validation: { type: 'boolean' }, template: { type: 'string' }, baseline: { type: 'boolean' } },
});
const DATA = path.resolve(args.values.input ?? args.positionals[0] ?? '../shared/data/fraud/transactions_2018-04-01_2018-07-31.csv.gz');
exitUnlessReadable(DATA);
const VALIDATION = args.values.validation === true;
const TEST_FROM = VALIDATION ? Date.UTC(2018, 6, 11) : Date.UTC(2018, 6, 25);
const TEST_TO = VALIDATION ? Date.UTC(2018, 6, 18) : Date.UTC(2018, 7, 1);
const WEEK = VALIDATION ? 'validation week 2018-07-11..07-17' : 'test week 2018-07-25..07-31';
const FEEDBACK_DELAY = 7 * DAY;
const BASELINE = args.values.baseline === true;

/** Published on the Handbook's own test week (2018-08-08..14, outside this file). */
const BASELINES: { name: string; metrics: Pick<RankingMetrics, 'auc_roc' | 'average_precision' | 'card_precision_at_100'> }[] = [
  { name: 'Handbook logistic regression', metrics: { auc_roc: 0.871, average_precision: 0.606, card_precision_at_100: 0.291 } },
  { name: 'Handbook random forest', metrics: { auc_roc: 0.867, average_precision: 0.658, card_precision_at_100: 0.287 } },
];

const loaded = await loadTemplate(path.resolve(args.values.template ?? 'templates/finance/template.yaml'), { env: {}, ...builtIns() });
const { template } = loaded;
const slots = detectorSlots(loaded);
const mapping = template.backtest!.mappings.handbook;
const baseline = BASELINE ? await reproduceBaseline() : undefined;
const source = await openHistoryFile(DATA, { template, format: 'csv', mapping });
const result = await replay({
  template,
  slots,
  rows: source.batches,
  feedbackDelay: FEEDBACK_DELAY,
  to: TEST_TO,
  log: { debug: () => undefined, info: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) },
});
const report = buildReport(result, {
  runId: 'eval-finance',
  template: template.name,
  input: path.basename(DATA),
  feedbackDelay: FEEDBACK_DELAY,
  slots,
  evaluateFrom: TEST_FROM,
  evaluateTo: TEST_TO,
  now: Date.now(),
});

const row = (name: string, m: Pick<RankingMetrics, 'auc_roc' | 'average_precision' | 'card_precision_at_100'>) =>
  `| ${name.padEnd(48)} | ${m.auc_roc.toFixed(3)} | ${m.average_precision.toFixed(3)} | ${m.card_precision_at_100.toFixed(3)} |`;
const p = report.handbook_protocol;
process.stdout.write(
  [
    `Vigil finance template on ${path.basename(DATA)}: ${WEEK}, 7-day label delay`,
    `replayed ${report.replay.events} events in ${(report.replay.elapsed_ms / 1000).toFixed(1)} s (${report.replay.events_per_second} events/s)`,
    `${WEEK} (Handbook protocol, known compromised cards removed): ${p.events} transactions, ${p.frauds} fraud`,
    '',
    `| ${'model'.padEnd(48)} | AUC   | AP    | CP@100 |`,
    `|${'-'.repeat(50)}|-------|-------|--------|`,
    row('Vigil finance template (risk score)', p),
    ...(baseline ? [row('Handbook logistic regression, reproduced here', baseline.metrics)] : []),
    ...BASELINES.map((b) => row(`${b.name} (its own test week)`, b.metrics)),
    row(`Vigil, all ${VALIDATION ? 'validation' : 'test'}-week transactions`, report.all_transactions),
    ...(baseline ? ['', ...baseline.notes(p)] : []),
    '',
    `alerts at the template's thresholds: ${report.alerts.alerts}, precision ${report.alerts.precision.toFixed(3)}, recall ${report.alerts.recall.toFixed(3)}`,
    `per scenario (AUC vs genuine / alert recall): ${Object.entries(report.scenarios)
      .map(([s, m]) => `${s}: ${m.auc_roc.toFixed(3)} / ${m.recall.toFixed(3)} (${m.frauds} frauds)`)
      .join('; ')}`,
    '',
  ].join('\n'),
);

/**
 * The Handbook's logistic regression on this week: the file read by the replay's own reader, the
 * model trained on its 7 days before the delay, scored by handbookProtocol like Vigil.
 */
async function reproduceBaseline() {
  const started = performance.now();
  const rows = await openHistoryFile(DATA, { template, format: 'csv', mapping });
  const table = await readTransactions(rows.batches, { customer: 'customer_id', terminal: 'terminal_id', amount: 'amount' });
  const read = performance.now() - started;
  const run = handbookBaseline(table, { testFrom: TEST_FROM, testTo: TEST_TO });
  const metrics = handbookProtocol(run.outcomes, { evaluateFrom: TEST_FROM, evaluateTo: TEST_TO, feedbackDelay: FEEDBACK_DELAY }).handbookProtocol;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const notes = (vigil: RankingMetrics) => [
    `Handbook logistic regression reproduced: trained on ${day(run.trainFrom)}..${day(run.trainFrom + 6 * DAY)} (${run.train.events} transactions, ${run.train.frauds} fraud;` +
      ` ${run.model.iterations} Newton steps), 15 Handbook features, StandardScaler + LogisticRegression(C=1); read ${table.size} rows in` +
      ` ${(read / 1000).toFixed(1)} s, features + fit + scoring ${(run.elapsedMs / 1000).toFixed(1)} s`,
    metrics.events === vigil.events && metrics.frauds === vigil.frauds
      ? `both scored on the same ${metrics.events} transactions (${metrics.frauds} fraud)`
      : `WARNING: different transaction sets: Vigil ${vigil.events} (${vigil.frauds} fraud), baseline ${metrics.events} (${metrics.frauds} fraud)`,
  ];
  return { metrics, notes };
}

/** Without the data this command has nothing to measure: one line saying what to get and how to point at it. */
function exitUnlessReadable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    process.stderr.write(
      `eval:finance: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): it needs the Fraud Detection Handbook's simulated transactions 2018-04-01..07-31 as one CSV, optionally gzipped` +
        ` (https://github.com/Fraud-Detection-Handbook/simulated-data-raw); point at yours with npm run eval:finance -- --input <file>\n`,
    );
    process.exit(2);
  }
}
