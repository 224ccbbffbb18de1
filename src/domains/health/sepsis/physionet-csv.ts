import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../../../errors/vigil-error.js';
import { MEASUREMENTS, type HourlyRow, type Measurement } from './hourly-row.js';

/** A parsed line: the row to score and, apart, its label (for fitting and reports only). */
export interface LabelledRow {
  readonly row: HourlyRow;
  readonly label: 0 | 1 | undefined;
}

const REQUIRED = ['patient_id', 'ICULOS'] as const;

/**
 * Reads the shared PhysioNet format (patient_id, HR, O2Sat, Temp, SBP, MAP, DBP, Resp, EtCO2,
 * FiO2, Age, Gender, HospAdmTime, ICULOS, SepsisLabel; columns found by header name, any order,
 * .csv or .csv.gz, LF or CRLF). An empty cell is not measured. A line with a bad patient or ICULOS
 * is a VIGIL_EVENT_SCHEMA error naming its line number.
 */
export class PhysionetRowParser {
  private readonly index: Record<string, number>;

  constructor(header: string) {
    const names = header.trim().split(',');
    this.index = Object.fromEntries(names.map((n, i) => [n.trim(), i]));
    const absent = REQUIRED.filter((c) => this.index[c] === undefined);
    if (absent.length > 0) throw new VigilError('VIGIL_EVENT_SCHEMA', `PhysioNet header lacks ${absent.join(', ')}: ${header.trim()}`);
  }

  parse(line: string, lineNumber: number): LabelledRow {
    const cells = line.trim().split(',');
    const num = (column: string): number | undefined => {
      const i = this.index[column];
      const cell = i === undefined ? undefined : cells[i];
      if (cell === undefined || cell === '' || cell === 'NaN') return undefined;
      const value = Number(cell);
      return Number.isFinite(value) ? value : undefined;
    };
    const patientId = cells[this.index.patient_id!] ?? '';
    const iculos = num('ICULOS');
    if (patientId === '' || iculos === undefined) throw new VigilError('VIGIL_EVENT_SCHEMA', `line ${lineNumber}: needs patient_id and a numeric ICULOS`);
    const values: Partial<Record<Measurement, number>> = {};
    for (const m of MEASUREMENTS) {
      const v = num(m);
      if (v !== undefined) values[m] = v;
    }
    const label = num('SepsisLabel');
    return {
      row: { patientId, iculos, values, age: num('Age'), gender: num('Gender'), hospAdmTime: num('HospAdmTime') },
      label: label === undefined ? undefined : label === 1 ? 1 : 0,
    };
  }
}

/** A missing input is a one-line VIGIL_CONFIG_INVALID error. */
export async function assertReadable(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new VigilError('VIGIL_CONFIG_INVALID', `${file}: no such file (the PhysioNet/CinC 2019 vitals, see ../shared/data/README.md)`);
  }
}

/** The rows of a PhysioNet-format file in file order. */
export async function* readPhysionetFile(file: string): AsyncGenerator<LabelledRow> {
  await assertReadable(file);
  const stream = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream, crlfDelay: Infinity });
  let parser: PhysionetRowParser | undefined;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (parser === undefined) {
      parser = new PhysionetRowParser(line);
      continue;
    }
    if (line.trim() === '') continue;
    yield parser.parse(line, n);
  }
}
