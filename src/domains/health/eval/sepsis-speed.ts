import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HourlyRow } from '../sepsis/hourly-row.js';
import { readPhysionetFile } from '../sepsis/physionet-csv.js';
import { validateSepsisModel } from '../sepsis/sepsis-model.js';
import { SepsisStreamScorer } from '../sepsis/sepsis-scorer.js';

/**
 * CPU per scored patient-hour of the streaming step (`scoreHour`: state update, inputs, model), for
 * a model file: the file's rows are parsed first, then replayed through SepsisStreamScorer three
 * times (the best pass is reported, as the machine is shared). Labels are not read.
 *
 *   node dist/domains/health/eval/sepsis-speed.js [file] --model templates/health/sepsis-model.json
 */
const args = parseArgs({ allowPositionals: true, options: { model: { type: 'string' } } });
const DATA = path.resolve(args.positionals[0] ?? '../shared/data/vitals/physionet2019_setB_even_patients.csv.gz');
const MODEL = path.resolve(args.values.model ?? 'templates/health/sepsis-model.json');
const model = validateSepsisModel(JSON.parse(await readFile(MODEL, 'utf8')), MODEL);

const rows: HourlyRow[] = [];
for await (const { row } of readPhysionetFile(DATA)) rows.push(row);
let best = Infinity;
let alerts = 0;
for (let pass = 0; pass < 3; pass++) {
  const scorer = new SepsisStreamScorer(model);
  alerts = 0;
  const started = process.cpuUsage();
  for (const row of rows) if (scorer.score(row).alert) alerts++;
  const used = process.cpuUsage(started);
  best = Math.min(best, used.user + used.system);
}
process.stdout.write(`${model.model}: ${rows.length} patient-hours, ${(best / rows.length).toFixed(1)} µs CPU per scored hour (best of 3 passes), ${alerts} alert hours\n`);
