import fc from 'fast-check';
import type { IncomingMessage } from '../../kafka/kafka.types.js';
import type { Template } from '../../model/template/template.schema.js';
import path from 'node:path';
import { builtIns, builtInGenerators } from '../../domains/domains.js';
import { loadTemplate } from '../../templates/template.loader.js';
import { sinkRoutes } from '../../stages/sink/sink-routes.js';
import { ClickHouseSink } from '../clickhouse.sink.js';
import { templateEventsTable } from '../ddl/events.ddl.js';
import type { Row } from '../row-mappers.js';
import { openTempClickHouse, type TempClickHouse } from '../testing/temp-clickhouse.js';
import { testTemplate } from '../testing/test-template.js';
import { framable } from './raw-frame.js';
import { rawEventsPlan, rawPathRefusal } from './raw-events-plan.js';

/**
 * The raw path's contract: for every message, the events table holds exactly what the JS path
 * (EventDecoder + eventRow + JSONCompactEachRow) stores, row for row and value for value, and
 * nothing for what the JS path rejects. Both paths insert the same generated messages into real
 * chdb tables, which are then compared in full.
 */

let engine: TempClickHouse;
beforeAll(async () => {
  engine = await openTempClickHouse();
});
afterAll(async () => {
  await engine.close();
});

const FIELDS = {
  // Optional, so a missing id takes the decoder's fallback (topic-partition-offset) on both paths.
  tx_id: { type: 'string', from: 'id' },
  card: { type: 'string', required: true, from: 'card.id' },
  present: { type: 'boolean', from: 'card.present' },
  ts: { type: 'timestamp', required: true, from: 'time' },
  amount: { type: 'number', required: true, from: 'amount.value' },
  currency: { type: 'string', from: 'amount.currency' },
  items: { type: 'integer', from: 'items' },
  settled_at: { type: 'timestamp', from: 'settle.at' },
  lat: { type: 'number', from: 'loc.lat' },
  note: { type: 'string' },
};

const template = (table: string): Template => testTemplate({ fields: FIELDS, table });

/**
 * A JSON value as text, some of them spelled in ways JSON.stringify never writes. No lone
 * surrogates: the JS path cannot store them (JSON.stringify writes `\ud800`, which the engine's
 * JSON reader refuses, failing the whole insert), so there is nothing to compare.
 */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.integer({ min: Date.UTC(1890, 0, 1), max: Date.UTC(2310, 0, 1) }).map(String),
  fc.integer({ min: -3_000_000_000, max: 99_999_999_999 }).map(String),
  fc.constantFrom('-0', '-0.0', '1.0', '1e2', '1E400', '-1e-400', '0.1', '9007199254740993', '123456789012345678901234', '1.5e3', '100000000000', '99999999999'),
);
const isoTextBetween = (from: number, to: number) => fc
  .date({ min: new Date(Date.UTC(from, 0, 1)), max: new Date(Date.UTC(to, 0, 1)), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d{3}Z$/, 'Z'), d.toISOString().replace('Z', '+00:00'), d.toISOString().slice(0, 10)));
const isoText = isoTextBetween(1880, 2320);
const stringText = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => s.isWellFormed()),
    isoText,
    fc.constantFrom('', ' ', '0', '12', ' 12 ', '1e21', 'true', 'null', '\u0000', 'a"b', 'a\\b', 'tab\there', '2024-02-30T00:00:00.000Z', '2024-02-29T23:59:60Z'),
  )
  .map((s) => JSON.stringify(s));
const scalarText = fc.oneof({ weight: 3, arbitrary: stringText }, { weight: 3, arbitrary: numberText }, { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '[]', '{}', '["x"]', '[1,"x"]', '{"a":1}') });

/** Values that suit a field's type most of the time, anything some of the time. */
const valueFor = (type: string): fc.Arbitrary<string | undefined> => {
  const fitting: Record<string, fc.Arbitrary<string>> = {
    string: fc.string({ minLength: 1, maxLength: 10 }).map((s) => JSON.stringify(s)),
    // Subnormals are valid JSON the engine's parser refuses (left to the JS path), so not "fitting".
    number: fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
      .filter((n) => n === 0 || Math.abs(n) > 1e-300)
      .map((n) => JSON.stringify(n)),
    integer: fc.integer({ min: -1e6, max: 1e6 }).map(String),
    boolean: fc.boolean().map(String),
    timestamp: fc.oneof(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }).map(String), isoTextBetween(2000, 2040).map((s) => JSON.stringify(s))),
  };
  return fc.oneof({ weight: 40, arbitrary: fitting[type]! }, { weight: 3, arbitrary: scalarText }, { weight: 1, arbitrary: fc.constant(undefined) });
};

type Members = [string, string][];
const objectText = (members: Members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** A document for FIELDS, then sometimes damaged in ways the two parsers might read differently. */
const documentText = fc
  .record({
    id: valueFor('string'),
    card: fc.record({ id: valueFor('string'), present: valueFor('boolean') }),
    time: valueFor('timestamp'),
    amount: fc.record({ value: valueFor('number'), currency: valueFor('string') }),
    items: valueFor('integer'),
    settle: fc.record({ at: valueFor('timestamp') }),
    loc: fc.record({ lat: valueFor('number') }),
    note: valueFor('string'),
    extra: fc.option(scalarText, { nil: undefined, freq: 2 }),
    damage: fc.oneof({ weight: 20, arbitrary: fc.constant('none') }, { weight: 10, arbitrary: fc.constantFrom('dup-root', 'dup-inner', 'inner-array', 'inner-scalar', 'root-array', 'truncate', 'spaces', 'invalid-utf8', 'escaped-key', 'surrogate-escape', 'empty') }),
  })
  .map((d) => {
    const inner = (o: Record<string, string | undefined>): Members => Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined);
    const root: Members = [];
    const put = (k: string, v: string | undefined) => v !== undefined && root.push([k, v]);
    put('id', d.id);
    root.push(['card', objectText(inner(d.card))]);
    put('time', d.time);
    root.push(['amount', objectText(inner(d.amount))]);
    put('items', d.items);
    root.push(['settle', objectText(inner(d.settle))]);
    root.push(['loc', objectText(inner(d.loc))]);
    put('note', d.note);
    put('extra', d.extra);
    switch (d.damage) {
      case 'dup-root':
        root.push(['id', '"dup"']);
        break;
      case 'dup-inner':
        root.push(['card', objectText([...inner(d.card), ['id', '"dup"']])]);
        root.splice(1, 1);
        break;
      case 'inner-array':
        root[1] = ['card', `[${objectText(inner(d.card))}]`];
        break;
      case 'inner-scalar':
        root[3] = ['amount', d.amount.value ?? '1'];
        break;
      case 'root-array':
        return Buffer.from(`[${objectText(root)}]`);
      case 'truncate':
        return Buffer.from(objectText(root).slice(0, -1));
      case 'spaces':
        return Buffer.from(` \n${objectText(root).replaceAll(',', ' ,\t')} `);
      case 'invalid-utf8':
        return Buffer.concat([Buffer.from(objectText(root).slice(0, -1)), Buffer.from(',"note":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
      case 'escaped-key':
        return Buffer.from(objectText(root).replace('"id":', '"i\\u0064":'));
      case 'surrogate-escape':
        return Buffer.from(objectText([...root.filter(([k]) => k !== 'note'), ['note', '"\\ud83d\\ude00\\u00e9"']]));
      case 'empty':
        return Buffer.alloc(0);
    }
    return Buffer.from(objectText(root));
  });

const messageTimestamp = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(-1, 0, Date.UTC(2040, 0, 1)) }, { weight: 1, arbitrary: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }) });

async function tableText(database: string, table: string): Promise<string[]> {
  const result = await engine.client.query({ query: `SELECT * EXCEPT inserted_at FROM ${database}.${table} ORDER BY _partition, _offset`, format: 'JSONCompactEachRow' });
  return (await result.text()).split('\n').filter((line) => line !== '');
}

describe('raw path of the events table', () => {
  it('applies to plain JSON templates of scalar fields, not where the mapping needs JS', () => {
    expect(rawPathRefusal(template('e'))).toBeUndefined();
    expect(rawPathRefusal(testTemplate())).toMatch(/tags is string\[\]/);
    expect(rawPathRefusal(testTemplate({ fields: { ...FIELDS, deep: { type: 'string', from: 'a.b.c' } } }))).toMatch(/deeper/);
    expect(rawPathRefusal(testTemplate({ fields: { ...FIELDS, whole: { type: 'string', from: 'card' } } }))).toMatch(/inside another/);
  });

  it('stores exactly the rows the JS path stores, for every message', async () => {
    const database = await engine.database();
    const js = template('js_events');
    const raw = template('raw_events');
    for (const t of [js, raw]) {
      await engine.client.command({ query: templateEventsTable(t, database) });
      // Generated times span 1880–2320; a TTL (on DateTime, 1970–2106) would drop some rows of both.
      await engine.client.command({ query: `ALTER TABLE ${database}.${t.tables.events} REMOVE TTL` });
    }
    const sink = new ClickHouseSink(engine.client, database);
    const jsRoute = sinkRoutes(js).get(js.topics.input)!;
    const rawRoute = sinkRoutes(raw).get(raw.topics.input)!;
    const plan = rawEventsPlan(raw, database, raw.topics.input);
    // Offsets per partition, so one batch holds the same offset in several partitions (as a
    // grouped insert does).
    const offsets = [0, 0, 0];
    let leftOver = 0;
    let staged = 0;
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(documentText, messageTimestamp, fc.nat(2)), { minLength: 1, maxLength: 80, size: 'large' }), async (documents) => {
        const messages: IncomingMessage[] = documents.map(([value, timestamp, partition]) => ({
          topic: js.topics.input,
          partition,
          offset: String(offsets[partition]!++),
          key: null,
          value,
          headers: {},
          timestamp,
        }));
        const token = `t${offsets.join('-')}`;
        const jsRows: Row[] = [];
        for (const m of messages) {
          try {
            jsRows.push(jsRoute.decode(m));
          } catch {
            // rejected: the detect stage dead-letters it
          }
        }
        await sink.insert({ table: js.tables.events, columns: jsRoute.columns, rows: jsRows, token });
        const rawRows: Row[] = [];
        const toStage: IncomingMessage[] = [];
        for (const m of messages) {
          if (framable(m)) toStage.push(m);
          else {
            try {
              rawRows.push(rawRoute.decode(m));
            } catch {
              // as above
            }
          }
        }
        staged += toStage.length;
        const decode = (m: IncomingMessage) => {
          leftOver += 1;
          return rawRoute.decode(m);
        };
        await sink.insert({ table: raw.tables.events, columns: rawRoute.columns, rows: rawRows, token, raw: { plan, messages: toStage, decode } });
        stored += jsRows.length;
      }),
      { numRuns: 40, seed: 18 },
    );
    const [jsTable, rawTable] = [await tableText(database, 'js_events'), await tableText(database, 'raw_events')];
    expect(jsTable.length).toBe(stored);
    expect(rawTable).toEqual(jsTable);
    // Not vacuous: the engine itself stored a good share of the rows (the generator damages most
    // documents somewhere, so many go back to the JS path by design).
    expect(staged - leftOver).toBeGreaterThan(stored / 5);
  }, 180_000);

  it('stores a retried batch once (same token), and its leftovers once too', async () => {
    const database = await engine.database();
    const t = template('events_retry');
    await engine.client.command({ query: templateEventsTable(t, database) });
    const sink = new ClickHouseSink(engine.client, database);
    const route = sinkRoutes(t).get(t.topics.input)!;
    const plan = rawEventsPlan(t, database, t.topics.input);
    const time = Date.now() - 60_000;
    const doc = (i: number, amount: string) => `{"id":"e${i}","card":{"id":"c"},"time":${time + i},"amount":{"value":${amount}}}`;
    // e1 needs the JS path (a numeric string), e2 is rejected by it (not a number), e0 is extracted.
    const values = [doc(0, '1.5'), doc(1, '"2.5"'), doc(2, '"x"')];
    const messages: IncomingMessage[] = values.map((v, i) => ({ topic: t.topics.input, partition: 0, offset: String(i), key: null, value: Buffer.from(v), headers: {}, timestamp: -1 }));
    const batch = { table: t.tables.events, columns: route.columns, rows: [], token: 'tok', raw: { plan, messages, decode: route.decode } };
    await sink.insert(batch);
    await sink.insert(batch);
    const result = await engine.client.query({ query: `SELECT event_id, amount FROM ${database}.events_retry ORDER BY _offset`, format: 'JSONEachRow' });
    expect(await result.json()).toEqual([
      { event_id: 'e0', amount: 1.5 },
      { event_id: 'e1', amount: 2.5 },
    ]);
  });

  it("extracts every finance simulator event itself (the raw path is not silently the JS path) and stores the JS path's rows", async () => {
    const database = await engine.database();
    const { template: finance } = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
    const js = { ...finance, tables: { ...finance.tables, events: 'finance_js' } };
    const raw = { ...finance, tables: { ...finance.tables, events: 'finance_raw' } };
    for (const t of [js, raw]) await engine.client.command({ query: templateEventsTable(t, database) });
    const generator = builtInGenerators().create('finance', { seed: 11, params: {} });
    const start = Date.now() - 3_600_000;
    const messages: IncomingMessage[] = Array.from({ length: 500 }, (_, i) => {
      const event = generator.next(start + i * 1000);
      return { topic: finance.topics.input, partition: i % 3, offset: String(i), key: null, value: Buffer.from(JSON.stringify(event.value)), headers: {}, timestamp: start + i * 1000 };
    });
    const sink = new ClickHouseSink(engine.client, database);
    const jsRoute = sinkRoutes(js).get(finance.topics.input)!;
    await sink.insert({ table: 'finance_js', columns: jsRoute.columns, rows: messages.map(jsRoute.decode), token: 'f' });
    const rawRoute = sinkRoutes(raw, undefined, { rawEventsDatabase: database }).get(finance.topics.input)!;
    expect(rawRoute.raw).toBeDefined();
    expect(messages.every(framable)).toBe(true);
    let leftOver = 0;
    const decode = (m: IncomingMessage) => {
      leftOver += 1;
      return rawRoute.decode(m);
    };
    await sink.insert({ table: 'finance_raw', columns: rawRoute.columns, rows: [], token: 'f', raw: { plan: rawRoute.raw!, messages, decode } });
    expect(leftOver).toBe(0);
    const text = async (table: string) =>
      (await engine.client.query({ query: `SELECT * EXCEPT inserted_at FROM ${database}.${table} ORDER BY _partition, _offset`, format: 'JSONCompactEachRow' })).text();
    const stored = await text('finance_js');
    expect(stored.split('\n').filter(Boolean)).toHaveLength(500);
    expect(await text('finance_raw')).toEqual(stored);
  });
});
