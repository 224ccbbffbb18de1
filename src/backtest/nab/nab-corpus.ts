import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../errors/vigil-error.js';
import { DEFAULT_COST_MATRICES, NAB_PROFILES, type CostMatrix, type NabProfile } from './nab-profiles.js';
import { parseNabTimestamp } from './nab-timestamp.js';

/** One NAB data file: its relative name ("realTweets/Twitter_volume_AAPL.csv"), rows and windows. */
export interface NabFile {
  readonly name: string;
  readonly category: string;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Labelled windows as [start, end] epoch ms, in file order. */
  readonly windows: readonly (readonly [number, number])[];
}

export interface NabCorpus {
  readonly root: string;
  readonly files: readonly NabFile[];
  readonly profiles: Readonly<Record<NabProfile, CostMatrix>>;
}

export const DEFAULT_NAB_ROOT = '../shared/data/nab';

/** Throws a one-line VigilError naming the missing path when the corpus is not there. */
export function assertNabCorpus(root: string): void {
  const windows = path.join(root, 'labels', 'combined_windows.json');
  if (!existsSync(windows)) {
    throw new VigilError('VIGIL_CONFIG_INVALID', `NAB corpus not found: ${windows} is missing (see ../shared/data/README.md, nab section)`);
  }
}

/** Reads a `timestamp,value` CSV (NAB's format; a header row is skipped). */
export function readTimestampValueCsv(text: string): { timestamps: Float64Array; values: Float64Array } {
  const lines = text.split('\n');
  const timestamps = new Float64Array(lines.length);
  const values = new Float64Array(lines.length);
  let n = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const value = Number(line.slice(comma + 1).split(',')[0]);
    if (n === 0 && Number.isNaN(value)) continue;
    timestamps[n] = parseNabTimestamp(line.slice(0, comma));
    values[n] = value;
    n++;
  }
  return { timestamps: timestamps.slice(0, n), values: values.slice(0, n) };
}

export function loadNabCorpus(root: string = DEFAULT_NAB_ROOT): NabCorpus {
  assertNabCorpus(root);
  const labels = JSON.parse(readFileSync(path.join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const files: NabFile[] = Object.keys(labels)
    .sort()
    .map((name) => {
      const { timestamps, values } = readTimestampValueCsv(readFileSync(path.join(root, 'data', name), 'utf8'));
      const windows = (labels[name] ?? []).map(([s, e]) => [parseNabTimestamp(s), parseNabTimestamp(e)] as const);
      return { name, category: name.split('/')[0] ?? '', timestamps, values, windows };
    });
  return { root, files, profiles: readProfiles(root) };
}

function readProfiles(root: string): Record<NabProfile, CostMatrix> {
  const file = path.join(root, 'config', 'profiles.json');
  if (!existsSync(file)) return { ...DEFAULT_COST_MATRICES };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { CostMatrix: CostMatrix }>;
  const out = {} as Record<NabProfile, CostMatrix>;
  for (const p of NAB_PROFILES) {
    const m = raw[p]?.CostMatrix ?? DEFAULT_COST_MATRICES[p];
    out[p] = { tpWeight: m.tpWeight, fpWeight: m.fpWeight, fnWeight: m.fnWeight };
  }
  return out;
}

/**
 * A published detector's per-file anomaly scores, `results/<detector>/<category>/<detector>_<file>`,
 * in the corpus's file order.
 */
export function readPublishedScores(corpus: NabCorpus, detector: string): Float64Array[] {
  return corpus.files.map((file) => {
    const [category = '', base = ''] = file.name.split('/');
    const csv = readFileSync(path.join(corpus.root, 'results', detector, category, `${detector}_${base}`), 'utf8');
    const lines = csv.split('\n');
    const column = (lines[0] ?? '').split(',').indexOf('anomaly_score');
    const scores = new Float64Array(file.values.length);
    let n = 0;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '') continue;
      scores[n++] = Number(line.split(',')[column]);
    }
    if (n !== scores.length) throw new Error(`${detector} results for ${file.name}: ${n} rows, data has ${scores.length}`);
    return scores;
  });
}
