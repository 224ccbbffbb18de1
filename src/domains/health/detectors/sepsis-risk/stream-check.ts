import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, VigilEvent } from '../../../../model/records.js';
import type { Template } from '../../../../model/template/template.schema.js';
import { PartitionRuntime } from '../../../../runtime/partition-runtime.js';
import type { HourlyRow, Measurement } from '../../sepsis/hourly-row.js';
import { patientHalf } from '../../sepsis/patient-split.js';
import { readPhysionetFile } from '../../sepsis/physionet-csv.js';
import { validateSepsisModel } from '../../sepsis/sepsis-model.js';
import { SepsisStreamScorer } from '../../sepsis/sepsis-scorer.js';
import { sepsisRiskDetector } from './sepsis-risk.detector.js';
import { DEFAULT_MEASUREMENTS } from './sepsis-risk.params.js';

/**
 * `node dist/domains/health/detectors/sepsis-risk/stream-check.js [file]`: replays the evaluation
 * half of a PhysioNet-format file as a live stream of single readings (one observation per
 * measured cell, at minute 30 of its hour, patients one after another) through the sepsis_risk
 * detector on the real PartitionRuntime, and compares (1) every hourly probability with the
 * backtest's SepsisStreamScorer on the same rows (demographics left out, since observations carry
 * none), and (2) the findings the alarm ladder lets through with the hours above the threshold.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const DATA = path.resolve(process.argv[2] ?? '../shared/data/vitals/physionet2019_setB_even_patients.csv.gz');
if (!existsSync(DATA)) {
  process.stderr.write(`stream-check: ${DATA} is missing (see ../shared/data/README.md)\n`);
  process.exit(2);
}
const model = validateSepsisModel(JSON.parse(readFileSync(path.resolve('templates/health/sepsis-model.json'), 'utf8')), 'sepsis-model.json');
const parameterOf = Object.fromEntries(Object.entries(DEFAULT_MEASUREMENTS).map(([parameter, column]) => [column, parameter])) as Record<Measurement, string>;
const template = { name: 'health', event: { maxOutOfOrderness: 0, allowedLateness: 0 } } as unknown as Template;
const log = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function runtimeWith(params: Record<string, unknown>): PartitionRuntime {
  return new PartitionRuntime(template, [{ id: 'sepsis', definition: sepsisRiskDetector, params: sepsisRiskDetector.meta.params.parse({ model, activeFor: '48h', ...params }) }], log, {
    recordChanges: false,
  });
}

// The file's rows hold MAP as measured: no MAP derived, so the two see the same rows.
const everyHour = runtimeWith({ threshold: 1e-12, renotify: '1ms', deriveMap: false });
const ladder = runtimeWith({});
const scorer = new SepsisStreamScorer(model);
const expected = new Map<string, number>();
const hoursOf = new Map<string, number>();
/** ICULOS of each patient's first row with a reading: the stream starts its hours there. */
const firstMeasured = new Map<string, number>();
/** ICULOS of each patient's first row (a few stays lack their ICULOS 1 row). */
const firstRow = new Map<string, number>();
let offset = 0;
let n = 0;
let current = '';
let start = 0;
const everyHourFindings: Finding[] = [];
const ladderFindings: Finding[] = [];

const feed = (event: VigilEvent) => {
  everyHourFindings.push(...everyHour.process(event).findings);
  ladderFindings.push(...ladder.process(event).findings);
};

for await (const { row: full } of readPhysionetFile(DATA)) {
  if (patientHalf(full.patientId) !== 'evaluation') continue;
  const row: HourlyRow = { patientId: full.patientId, iculos: full.iculos, values: full.values };
  if (row.patientId !== current) {
    // Each stay starts on a fresh hour two hours after the previous one ended.
    offset += (hoursOf.get(current) ?? 0) + 2;
    current = row.patientId;
    start = T0 + offset * HOUR - (row.iculos - 1) * HOUR;
  }
  hoursOf.set(row.patientId, Math.max(hoursOf.get(row.patientId) ?? 0, row.iculos));
  expected.set(`${row.patientId}/${row.iculos}`, scorer.score(row).probability);
  if (!firstRow.has(row.patientId)) firstRow.set(row.patientId, row.iculos);
  if (!firstMeasured.has(row.patientId) && Object.keys(row.values).length > 0) firstMeasured.set(row.patientId, row.iculos);
  const time = start + (row.iculos - 1) * HOUR + 30 * 60_000;
  for (const [column, value] of Object.entries(row.values)) {
    feed({ id: `o${++n}`, time, key: row.patientId, fields: { patient_id: row.patientId, parameter: parameterOf[column as Measurement], value }, source: { topic: 'replay', partition: 0, offset: String(n) } });
  }
}
feed({ id: 'end', time: T0 + (offset + 100) * HOUR, key: '', fields: {}, source: { topic: 'replay', partition: 0, offset: String(++n) } });

// A stream knows no ICU admission: its ICULOS counts from one empty hour before the first reading
// (hoursBeforeFirstReading). Stays that begin with an empty ICULOS 1 row and have their first
// reading in ICULOS 2 must match exactly; the others are compared shifted, for the record.
let compared = 0;
let mismatches = 0;
let maxDiff = 0;
let shiftedCompared = 0;
let shiftedMaxDiff = 0;
for (const f of everyHourFindings) {
  const first = firstMeasured.get(f.entity)!;
  const want = expected.get(`${f.entity}/${f.values.iculos! + first - 2}`);
  if (want === undefined) continue; // hours after the stay's last row
  if (first === 2 && firstRow.get(f.entity) === 1) {
    compared++;
    if (want !== f.score) mismatches++;
    maxDiff = Math.max(maxDiff, Math.abs(want - f.score));
  } else {
    shiftedCompared++;
    shiftedMaxDiff = Math.max(shiftedMaxDiff, Math.abs(want - f.score));
  }
}
const inStay = (f: Finding) => f.values.iculos! + firstMeasured.get(f.entity)! - 2 <= (hoursOf.get(f.entity) ?? 0);
const alertHours = [...expected.values()].filter((p) => p >= model.threshold).length;
const notified = ladderFindings.filter(inStay);
const days = [...hoursOf.values()].reduce((a, b) => a + b, 0) / 24;
const out = {
  patients: hoursOf.size,
  hours: expected.size,
  observations: n - 1,
  stays: {
    aligned: [...firstMeasured].filter(([id, v]) => v === 2 && firstRow.get(id) === 1).length,
    other: [...firstMeasured].filter(([id, v]) => !(v === 2 && firstRow.get(id) === 1)).length,
  },
  compared,
  maxAbsDifference: maxDiff,
  notIdentical: mismatches,
  shiftedCompared,
  shiftedMaxAbsDifference: shiftedMaxDiff,
  threshold: model.threshold,
  hoursAboveThreshold: alertHours,
  findings: notified.length,
  escalations: notified.filter((f) => f.kind === 'sepsis.escalation').length,
  reminders: notified.filter((f) => f.kind === 'sepsis.reminder').length,
  patientDays: Math.round(days),
  hoursAbovePerPatientDay: alertHours / days,
  findingsPerPatientDay: notified.length / days,
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
