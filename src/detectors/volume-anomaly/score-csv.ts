import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { VigilError } from '../../errors/vigil-error.js';
import { createAnomalyState, updateAnomaly } from './anomaly-core.js';
import { DEFAULT_CORE_PARAMS } from './anomaly-defaults.js';

/**
 * `vigil anomaly`: streams a `timestamp,value` CSV through the volume-anomaly core with its default
 * parameters, one point at a time as it is read (no look-ahead), and writes
 * `timestamp,value,anomaly_score`, one row per input row. A row whose value is not a number scores 0
 * and leaves the state as it was; a timestamp that does not parse is an input error.
 */
export async function scoreCsvFile(file: string, out: Writable): Promise<void> {
  if (!existsSync(file)) throw new VigilError('VIGIL_CONFIG_INVALID', `input not found: ${file}`);
  const state = createAnomalyState(DEFAULT_CORE_PARAMS);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let buffer = 'timestamp,value,anomaly_score\n';
  let first = true;
  let row = 0;
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    row++;
    const comma = line.indexOf(',');
    const stamp = comma < 0 ? line : line.slice(0, comma);
    const valueText = comma < 0 ? '' : line.slice(comma + 1);
    if (first) {
      first = false;
      if (stamp.toLowerCase() === 'timestamp' || Number.isNaN(parseTime(stamp))) continue;
    }
    const time = parseTime(stamp);
    if (Number.isNaN(time)) throw new VigilError('VIGIL_CONFIG_INVALID', `${file}:${row}: timestamp "${stamp}" does not parse`);
    const value = Number(valueText);
    const score = updateAnomaly(state, DEFAULT_CORE_PARAMS, time, value);
    buffer += `${stamp},${valueText},${score}\n`;
    if (buffer.length > 65_536) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  if (buffer.length > 0) out.write(buffer);
}

/** NAB's "2015-02-26 21:42:53" (read as UTC), ISO 8601, or epoch milliseconds. */
function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d/.test(text) ? `${text.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? '' : 'Z'}` : text;
  return Date.parse(iso);
}
