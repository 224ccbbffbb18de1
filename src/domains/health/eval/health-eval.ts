import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readHourTable } from '../sepsis/hour-table.js';
import { sepsisInputs, sepsisLogit, validateSepsisModel } from '../sepsis/sepsis-model.js';
import { utilityAt } from '../sepsis/alert-threshold.js';
import { auroc } from '../utility/auroc.js';
import { alertBurden } from './alert-burden.js';
import { utilityInterval } from './utility-interval.js';

/**
 * `npm run eval:health`: the health scores on the evaluation half of the shared PhysioNet/CinC 2019
 * set-B file (patients split by a hash of their id; the sepsis model in templates/health was fitted
 * on the other half by `vigil fit-sepsis`, its alert threshold chosen there too). Each patient-hour
 * is scored as it streams, from that hour and earlier; SepsisLabel is read only to measure.
 * Reports the Challenge's normalised utility, AUROC and the alert burden for NEWS2 ≥ 5 as an alarm
 * and for the sepsis score at its threshold.
 */
const args = parseArgs({ allowPositionals: true, options: { model: { type: 'string' } } });
const DATA = path.resolve(args.positionals[0] ?? '../shared/data/vitals/physionet2019_setB_even_patients.csv.gz');
const MODEL = path.resolve(args.values.model ?? 'templates/health/sepsis-model.json');

if (!existsSync(DATA)) {
  process.stderr.write(`eval:health: ${DATA} is missing: the PhysioNet/CinC 2019 vitals (see ../shared/data/README.md) are needed\n`);
  process.exit(2);
}
if (!existsSync(MODEL)) {
  process.stderr.write(`eval:health: ${MODEL} is missing: fit it with vigil fit-sepsis\n`);
  process.exit(2);
}

const model = validateSepsisModel(JSON.parse(await readFile(MODEL, 'utf8')), MODEL);
const started = performance.now();
const table = await readHourTable(DATA, 'evaluation', sepsisInputs(model));
const { dims, rows, labels, patients, news2 } = table;
const probability = new Float64Array(labels.length);
for (let i = 0; i < labels.length; i++) probability[i] = 1 / (1 + Math.exp(-sepsisLogit(model, rows.subarray(i * dims, (i + 1) * dims))));

const septic = patients.filter((p) => labels.subarray(p.from, p.to).includes(1)).length;
const rowsOut = [
  score('NEWS2 >= 5 (alarm), NEWS2 total (AUROC)', news2, 5),
  score(`sepsis score >= ${model.threshold} (threshold from the fitting half)`, probability, model.threshold),
];
const lines = [
  `evaluation half: ${patients.length} patients (${septic} septic), ${labels.length} patient-hours, ${labels.reduce((a, b) => a + b, 0)} labelled sepsis hours (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  `${'score'.padEnd(62)} ${'utility'.padStart(8)} ${'(95% bootstrap)'.padStart(16)} ${'AUROC'.padStart(7)} ${'alert h/pt-day'.padStart(15)} ${'alerts/pt-day'.padStart(14)}`,
  ...rowsOut.map(
    (r) =>
      `${r.name.padEnd(62)} ${r.utility.toFixed(3).padStart(8)} ${`${r.interval.low.toFixed(3)}..${r.interval.high.toFixed(3)}`.padStart(16)} ${r.auroc.toFixed(3).padStart(7)} ${r.burden.alertHoursPerPatientDay.toFixed(2).padStart(15)} ${r.burden.alertEpisodesPerPatientDay.toFixed(2).padStart(14)}`,
  ),
  'anchors: NEWS2 >= 5 utility 0.048, NEWS2 AUROC 0.698; targets for the sepsis score: utility >= 0.30, AUROC >= 0.78; Challenge winner (labs and vitals) 0.41 / 0.81',
];
process.stdout.write(`${lines.join('\n')}\n`);

function score(name: string, scores: Float64Array, threshold: number) {
  const alerts = scores.map((s) => (s >= threshold ? 1 : 0));
  const perPatient = patients.map(({ from, to }) => ({ labels: labels.subarray(from, to), predictions: alerts.subarray(from, to) }));
  return {
    name,
    utility: utilityAt(scores, labels, patients, threshold),
    interval: utilityInterval(perPatient),
    auroc: auroc(labels, scores),
    burden: alertBurden(alerts, patients),
  };
}
