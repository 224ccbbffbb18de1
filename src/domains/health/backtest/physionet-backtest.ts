import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { assertReadable, readPhysionetFile } from '../sepsis/physionet-csv.js';
import { SepsisStreamScorer } from '../sepsis/sepsis-scorer.js';
import type { SepsisModel } from '../sepsis/sepsis-model.js';
import { normalisedUtility } from '../utility/normalised-utility.js';
import { auroc } from '../utility/auroc.js';

export interface PhysionetBacktestResult {
  readonly rows: number;
  readonly patients: number;
  readonly alertHours: number;
  /** Only when the file has SepsisLabel: measured after scoring, never fed to it. */
  readonly labelled?: { readonly utility: number; readonly auroc: number; readonly sepsisHours: number };
}

/**
 * Replays a PhysioNet-format file through the sepsis score row by row, in file order, and writes
 * `patient_id,ICULOS,score,prediction` per input row (score: the probability; prediction: 1 when
 * it reaches the model's alert threshold). Labels are collected apart for the summary only.
 */
export async function backtestPhysionet(input: string, predictions: string, model: SepsisModel): Promise<PhysionetBacktestResult> {
  await assertReadable(input);
  const scorer = new SepsisStreamScorer(model);
  const out = createWriteStream(predictions);
  const perPatient = new Map<string, { labels: number[]; predictions: number[] }>();
  const allLabels: number[] = [];
  const allScores: number[] = [];
  let labelled = true;
  let rows = 0;
  let alertHours = 0;
  let buffer = 'patient_id,ICULOS,score,prediction\n';
  for await (const { row, label } of readPhysionetFile(input)) {
    const hour = scorer.score(row);
    const prediction = hour.alert ? 1 : 0;
    rows++;
    alertHours += prediction;
    buffer += `${row.patientId},${row.iculos},${Number(hour.probability.toPrecision(6))},${prediction}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
    let patient = perPatient.get(row.patientId);
    if (patient === undefined) perPatient.set(row.patientId, (patient = { labels: [], predictions: [] }));
    if (label === undefined) labelled = false;
    patient.labels.push(label ?? 0);
    patient.predictions.push(prediction);
    allLabels.push(label ?? 0);
    allScores.push(hour.probability);
  }
  out.end(buffer);
  await once(out, 'finish');
  const result = { rows, patients: perPatient.size, alertHours };
  if (!labelled || rows === 0) return result;
  return {
    ...result,
    labelled: {
      utility: normalisedUtility(perPatient.values()).normalised,
      auroc: auroc(allLabels, allScores),
      sepsisHours: allLabels.reduce((a, b) => a + b, 0),
    },
  };
}
