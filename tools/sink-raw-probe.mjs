// Probe for issue 18 (docs/performance.md, "Sink: raw bytes into ClickHouse"): in one process,
// CPU and wall time per event of the sink's JS path (decode, eventRow, JSONCompactEachRow insert)
// against handing the raw message bytes to the embedded engine and letting it extract the columns
// (TabSeparated into a staging table: chdb's raw insert takes no JSONAsString; exact only for values without backslash, tab or newline, as the finance simulator's, then INSERT … SELECT JSONExtract…). No Kafka.
// Usage: npm run build --silent && node tools/sink-raw-probe.mjs [events] [batch]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/vigil-config.js';
import { loadBaseTemplate } from '../dist/bench/bench-template.js';
import { builtInGenerators } from '../dist/domains/domains.js';
import { openClickHouse, chdbOf } from '../dist/sink/clickhouse.client.js';
import { ClickHouseSink, dedupToken } from '../dist/sink/clickhouse.sink.js';
import { templateEventsTable } from '../dist/sink/ddl/events.ddl.js';
import { sinkRoutes } from '../dist/stages/sink/sink-routes.js';

const events = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 10_000);
const config = loadConfig(process.env);
const { template } = await loadBaseTemplate(config);
const simulator = template.simulator;
const generator = builtInGenerators().create(simulator.generator, { seed: simulator.seed, params: simulator.params });
const start = Date.now() - events * 5; // inside the table's TTL
const messages = [];
for (let i = 0; i < events; i++) {
  const e = generator.next(start + i * 5);
  messages.push({ topic: 't', partition: 0, offset: String(i), timestamp: String(start + i * 5), headers: {}, key: null, value: Buffer.from(JSON.stringify(e.value)) });
}
const dir = await mkdtemp(path.join(os.tmpdir(), 'sink-raw-probe-'));
const client = await openClickHouse({ mode: 'embedded', path: dir, database: 'probe' });
const chdb = chdbOf(client);
const sink = new ClickHouseSink(client, 'probe');
await client.command({ query: templateEventsTable({ ...template, tables: { ...template.tables, events: 'js_events' } }, 'probe') });
await client.command({ query: templateEventsTable({ ...template, tables: { ...template.tables, events: 'raw_events' } }, 'probe') });
await client.command({ query: 'CREATE TABLE probe.staging (raw String) ENGINE = Memory' });
const route = sinkRoutes({ ...template, tables: { ...template.tables, events: 'js_events' } }).get(template.topics.input);

async function timed(name, work) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  console.log(`${name}: ${Math.round(events / wall)} events/s, ${cpuS.toFixed(2)} CPU-s, ${((cpuS / events) * 1e6).toFixed(1)} µs CPU/event`);
}

await timed('js path (decode + eventRow + JSONCompactEachRow)', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    const rows = slice.map((m) => route.decode(m));
    await sink.insert({ table: 'js_events', columns: route.columns, rows, token: dedupToken('t', 0, i, i + slice.length - 1) });
  }
});

// Field extraction only for the shapes the probe's template has (string, number, boolean, timestamp as epoch ms / ISO).
const fields = Object.entries(template.event.fields);
const path_ = (spec, name) => (spec.from ?? name).split('.').map((s) => `'${s}'`).join(', ');
const extract = (spec, name) => {
  const p = path_(spec, name);
  switch (spec.type) {
    case 'string': return `nullIf(JSONExtractString(raw, ${p}), '')`;
    case 'number': return `JSONExtract(raw, ${p}, 'Nullable(Float64)') + 0`;
    case 'integer': return `JSONExtract(raw, ${p}, 'Nullable(Int64)')`;
    case 'boolean': return `JSONExtract(raw, ${p}, 'Nullable(Bool)')`;
    case 'timestamp': return `if(JSONType(raw, ${p}) = 'String', parseDateTime64BestEffortOrNull(JSONExtractString(raw, ${p}), 3, 'UTC'), fromUnixTimestamp64Milli(JSONExtract(raw, ${p}, 'Int64'), 'UTC'))`;
    default: return `JSONExtract(raw, ${p}, 'Array(String)')`;
  }
};
const ev = template.event;
const select = `SELECT ${extract(ev.fields[ev.id], ev.id)} AS event_id, ${extract(ev.fields[ev.time], ev.time)} AS event_time, ${extract(ev.fields[ev.key], ev.key)} AS event_key, ${fields.map(([n, s]) => `${extract(s, n)} AS \`${n}\``).join(', ')}, raw, 't' AS _topic, 0 AS _partition, rowNumberInAllBlocks() AS _offset FROM probe.staging`;
await timed('raw path (bytes joined by \\n, TSV staging: valid only for values without backslash or tab, INSERT … SELECT JSONExtract)', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    const parts = [];
    for (const m of slice) parts.push(m.value, Buffer.from('\n'));
    await chdb.rawInsert({ table: 'probe.staging', format: 'TSV', values: Buffer.concat(parts), settings: { async_insert: 0 } });
    await client.command({ query: `INSERT INTO probe.raw_events (event_id, event_time, event_key, ${fields.map(([n]) => `\`${n}\``).join(', ')}, raw, _topic, _partition, _offset) ${select} SETTINGS insert_deduplication_token = 'r${i}'` });
    await client.command({ query: 'TRUNCATE TABLE probe.staging' });
  }
});
// Variant: one parse per row, JSONExtract into a nested named Tuple, columns read from its elements.
const tree = {};
for (const [name, spec] of fields) {
  const parts = (spec.from ?? name).split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = spec.type;
}
const chType = { string: 'Nullable(String)', number: 'Nullable(Float64)', integer: 'Nullable(Int64)', boolean: 'Nullable(Bool)', timestamp: 'Nullable(String)', 'string[]': 'Array(String)' };
const tupleType = (node) => `Tuple(${Object.entries(node).map(([k, v]) => `\`${k}\` ${typeof v === 'string' ? chType[v] : tupleType(v)}`).join(', ')})`;
const element = (spec, name) => {
  const e = `t.${(spec.from ?? name).split('.').map((s) => `\`${s}\``).join('.')}`;
  switch (spec.type) {
    case 'string': return `nullIf(${e}, '')`;
    case 'number': return `${e} + 0`;
    case 'timestamp': return `parseDateTime64BestEffortOrNull(${e}, 3, 'UTC')`;
    default: return e;
  }
};
await client.command({ query: 'TRUNCATE TABLE probe.raw_events' });
const tupleSelect = `SELECT ${element(ev.fields[ev.id], ev.id)} AS event_id, ${element(ev.fields[ev.time], ev.time)} AS event_time, ${element(ev.fields[ev.key], ev.key)} AS event_key, ${fields.map(([n, s]) => `${element(s, n)} AS \`${n}\``).join(', ')}, raw, 't' AS _topic, 0 AS _partition, rowNumberInAllBlocks() AS _offset FROM (SELECT raw, JSONExtract(raw, '${tupleType(tree).replaceAll("'", "\\'")}') AS t FROM probe.staging)`;
await timed('raw path, one parse per row (JSONExtract to a nested Tuple; timestamps as ISO strings only)', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    const parts = [];
    for (const m of slice) parts.push(m.value, Buffer.from('\n'));
    await chdb.rawInsert({ table: 'probe.staging', format: 'TSV', values: Buffer.concat(parts), settings: { async_insert: 0 } });
    await client.command({ query: `INSERT INTO probe.raw_events (event_id, event_time, event_key, ${fields.map(([n]) => `\`${n}\``).join(', ')}, raw, _topic, _partition, _offset) ${tupleSelect} SETTINGS insert_deduplication_token = 't${i}'` });
    await client.command({ query: 'TRUNCATE TABLE probe.staging' });
  }
});
const count = async (t) => (await (await client.query({ query: `SELECT count() AS n FROM probe.${t}`, format: 'JSONEachRow' })).json())[0].n;
console.log(`rows: js ${await count('js_events')}, raw ${await count('raw_events')}`);
const diff = await (await client.query({ query: `SELECT count() AS n FROM probe.js_events j INNER JOIN probe.raw_events r ON j.raw = r.raw WHERE (j.event_id, j.event_time, j.event_key, ${fields.map(([n]) => `j.\`${n}\``).join(', ')}) != (r.event_id, r.event_time, r.event_key, ${fields.map(([n]) => `r.\`${n}\``).join(', ')})`, format: 'JSONEachRow' })).json();
console.log(`rows whose extracted values differ (joined on raw): ${diff[0].n}`);
await client.close();
await rm(dir, { recursive: true, force: true });
