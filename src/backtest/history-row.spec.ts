import path from 'node:path';
import { isVigilError } from '../errors/vigil-error.js';
import { loadTemplate } from '../templates/template.loader.js';
import type { Template } from '../model/template/template.schema.js';
import { splitCsvLine } from './csv-line.js';
import { HistoryRowReader } from './history-row.js';
import { builtIns } from '../domains/domains.js';

let template: Template;

beforeAll(async () => {
  const loaded = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
  template = loaded.template;
});

const HEADER = 'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO';

describe('HistoryRowReader', () => {
  it('reads the Handbook CSV through the finance mapping: columns, constants, zone-less UTC times, labels apart', () => {
    const reader = new HistoryRowReader({ template, format: 'csv', mapping: template.backtest!.mappings.handbook });
    expect(reader.read(HEADER)).toBeUndefined();
    const row = reader.read('2,2018-04-01 00:07:56,2,1365,146.0,476,0,1,1')!;
    expect(row.event).toMatchObject({
      id: '2',
      time: Date.UTC(2018, 3, 1, 0, 7, 56),
      key: '2',
      fields: { tx_id: '2', customer_id: '2', card_id: '2', terminal_id: '1365', amount: 146, currency: 'EUR', lat: null },
    });
    expect(Object.values(row.event.fields)).not.toContain(1);
    expect(row).toMatchObject({ fraud: true, scenario: '1' });
    expect(reader.read('3,2018-04-01 00:09:29,4128,8737,64.49,569,0,0,0')!.fraud).toBe(false);
  });

  it('names the line and the problem for a row it cannot read', () => {
    const reader = new HistoryRowReader({ template, format: 'csv', mapping: template.backtest!.mappings.handbook });
    reader.read(HEADER);
    const problems = ['4,2018-04-01 00:09:29,4128', '5,yesterday,1,2,3.0,0,0,0,0', '6,2018-04-01 00:09:29,1,2,lots,0,0,0,0', '7,2018-04-01 00:09:29,1,2,3,0,0,maybe,0'].map((line) => {
      try {
        reader.read(line);
        return 'read';
      } catch (error) {
        return isVigilError(error) ? error.message : String(error);
      }
    });
    expect(problems).toEqual([
      'line 2: expected 9 CSV fields, got 3',
      'line 3: field ts (from "TX_DATETIME") expected timestamp (epoch ms or ISO-8601 with zone), got "yesterday"',
      'line 4: field amount (from "TX_AMOUNT") expected number, got "lots"',
      'line 5: label "maybe" is not 1/0 or true/false',
    ]);
  });

  it('reads JSON lines with the template’s own paths and a nested label path', () => {
    const reader = new HistoryRowReader({ template, format: 'jsonl', labelField: '_label.fraud', scenarioField: '_label.scenario' });
    const row = reader.read(
      JSON.stringify({
        transactionId: 'tx1',
        timestamp: '2026-01-01T10:00:00Z',
        customer: { id: 'cus1' },
        card: { id: 'card1' },
        merchant: { terminalId: 'term1' },
        amount: { value: 12.5, currency: 'EUR' },
        _label: { fraud: true, scenario: 'card_testing' },
      }),
    )!;
    expect(row.event).toMatchObject({ id: 'tx1', key: 'card1', fields: { amount: 12.5 } });
    expect(row).toMatchObject({ fraud: true, scenario: 'card_testing' });
    expect(reader.read('')).toBeUndefined();
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",')).toEqual(['a', 'b,c', 'say "hi"', '']);
  });
});
