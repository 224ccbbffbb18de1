// Probe for issue 18 (docs/performance.md, "Sink: raw path adopted"): in one process, no Kafka,
// CPU and rate per event of ClickHouseSink.insert on the JS path (decode + eventRow +
// JSONCompactEachRow) against the raw path (raw-events-plan.ts), on finance simulator events, in
// alternating repetitions; then the raw path's statements timed one by one (wall ms in total).
// Usage: npm run build --silent && node tools/sink-raw-path-probe.mjs [events] [batch]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/vigil-config.js';
import { loadBaseTemplate } from '../dist/bench/bench-template.js';
import { builtInGenerators } from '../dist/domains/domains.js';
import { openClickHouse, chdbOf } from '../dist/sink/clickhouse.client.js';
import { ClickHouseSink } from '../dist/sink/clickhouse.sink.js';
import { templateEventsTable } from '../dist/sink/ddl/events.ddl.js';
import { sinkRoutes } from '../dist/stages/sink/sink-routes.js';
import { frameMessages } from '../dist/sink/raw-events/raw-frame.js';

const events = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 10_000);
const config = loadConfig(process.env);
const { template } = await loadBaseTemplate(config);
const generator = builtInGenerators().create(template.simulator.generator, { seed: template.simulator.seed, params: template.simulator.params });
const start = Date.now() - events * 5;
const messages = [];
for (let i = 0; i < events; i++) {
  const e = generator.next(start + i * 5);
  messages.push({ topic: 't', partition: 0, offset: String(i), timestamp: start + i * 5, headers: {}, key: null, value: Buffer.from(JSON.stringify(e.value)) });
}
const dir = await mkdtemp(path.join(os.tmpdir(), 'sink-raw-probe-'));
const client = await openClickHouse({ mode: 'embedded', path: dir, database: 'probe' });
const chdb = chdbOf(client);
const sink = new ClickHouseSink(client, 'probe');
const js = { ...template, tables: { ...template.tables, events: 'js_events' } };
const raw = { ...template, tables: { ...template.tables, events: 'raw_events' } };
for (const t of [js, raw]) await client.command({ query: templateEventsTable(t, 'probe') });
const jsRoute = sinkRoutes(js).get(template.topics.input);
const rawRoute = sinkRoutes(raw, undefined, { rawEventsDatabase: 'probe' }).get(template.topics.input);
const plan = rawRoute.raw;
async function timed(name, work) {
  const cpu = process.cpuUsage(); const t0 = performance.now();
  await work();
  const wall = (performance.now() - t0) / 1000; const u = process.cpuUsage(cpu); const s = (u.user + u.system) / 1e6;
  console.log(`${name}: ${Math.round(events / wall)} events/s, ${((s / events) * 1e6).toFixed(1)} µs CPU/event`);
}
for (let rep = 0; rep < 2; rep++) {
await timed('js', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    await sink.insert({ table: 'js_events', columns: jsRoute.columns, rows: slice.map(jsRoute.decode), token: `j${rep}-${i}` });
  }
});
await timed('raw', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    await sink.insert({ table: 'raw_events', columns: rawRoute.columns, rows: [], token: `r${rep}-${i}`, raw: { plan, messages: slice, decode: rawRoute.decode } });
  }
});
const parts = { stage: 0, select: 0, left: 0, trunc: 0 };
await timed('raw, parts', async () => {
  for (let i = 0; i < events; i += batch) {
    const slice = messages.slice(i, i + batch);
    let t = performance.now();
    await chdb.rawInsert({ table: `probe.${plan.staging}`, columns: plan.stagingColumns, format: 'TSV', values: frameMessages(slice), settings: plan.stagingSettings });
    parts.stage += performance.now() - t; t = performance.now();
    await chdb.queryAsync(plan.insertAccepted(`p${rep}-${i}`));
    parts.select += performance.now() - t; t = performance.now();
    await chdb.queryAsync(plan.selectLeftovers, { format: 'TabSeparated' });
    parts.left += performance.now() - t; t = performance.now();
    await chdb.queryAsync(plan.truncateStaging);
    parts.trunc += performance.now() - t;
  }
});
console.log(parts);
}
await client.close();
await rm(dir, { recursive: true, force: true });
