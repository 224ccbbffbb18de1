// kafkajs' produce-request encoding alone (issue 18, docs/performance.md "Producing: records encoded
// into the batch"): two kafkajs installs (e.g. one without this repository's patch and one with it)
// encode the same produce requests, shaped like detect's output, in alternating rounds; prints µs
// per record and MB/s of request bytes per build and round, after checking both give the same bytes;
// then each build's CRC32-C alone over a batch-sized buffer, in GB/s of CPU time.
// Each request holds 1,000 messages, as send-chunks cuts them: changelog records (a string key of
// ~20 characters, a binary value of 100–250 bytes, one in twenty a tombstone) to one partition, and
// one in twenty a finding (a JSON string of ~1 KB, keyed by entity) to one of six partitions.
// Usage: node tools/record-encode-probe.mjs <kafkajs dir A> <kafkajs dir B> [requests] [rounds]
//   e.g. node tools/record-encode-probe.mjs /tmp/old/node_modules/kafkajs node_modules/kafkajs
import { createRequire } from 'node:module';
import path from 'node:path';

const [dirA, dirB] = process.argv.slice(2, 4).map((dir) => path.resolve(dir ?? ''));
if (!process.argv[3]) throw new Error('usage: node tools/record-encode-probe.mjs <kafkajs dir A> <kafkajs dir B> [requests] [rounds]');
const requests = Number(process.argv[4] ?? 400);
const rounds = Number(process.argv[5] ?? 6);
const MESSAGES_PER_REQUEST = 1_000;

function load(dir) {
  const require = createRequire(path.join(dir, 'package.json'));
  const produce = require('./src/protocol/requests/produce/v7/request.js');
  const createRequest = require('./src/protocol/request.js');
  const Long = require('./src/utils/long.js');
  const crc32C = require('./src/protocol/recordBatch/crc32C/index.js');
  return { produce, createRequest, Long, crc32C };
}

/** A deterministic pseudo-random sequence, so both builds and every run see the same input. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function detectLikeRequests(count) {
  const next = random(18);
  const findingText = (i) =>
    JSON.stringify({ finding_id: `f-${i}`, entity: `card:${1e6 + i}`, detector: 'card_velocity', score: next(), time: 1_765_000_000_000 + i, details: { reason: 'x'.repeat(700 + Math.floor(next() * 300)) } });
  const out = [];
  for (let r = 0; r < count; r++) {
    const changelog = [];
    const findings = [];
    for (let i = 0; i < MESSAGES_PER_REQUEST; i++) {
      const id = r * MESSAGES_PER_REQUEST + i;
      if (i % 20 === 19) {
        findings.push({ key: `card:${1e6 + (id % 50_000)}`, value: findingText(id), partition: id % 6 });
        continue;
      }
      const size = 100 + Math.floor(next() * 150);
      const value = i % 20 === 7 ? null : Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256)));
      changelog.push({ key: `e\u0000card:${1e6 + (id % 50_000)}`, value });
    }
    const byPartition = new Map();
    for (const f of findings) {
      if (!byPartition.has(f.partition)) byPartition.set(f.partition, []);
      byPartition.get(f.partition).push({ key: f.key, value: f.value });
    }
    out.push([
      { topic: 'finance.detect.changelog', partitions: [{ partition: r % 6, firstSequence: r * 950, messages: changelog }] },
      { topic: 'finance.findings', partitions: [...byPartition].map(([partition, messages]) => ({ partition, firstSequence: r * 10, messages })) },
    ]);
  }
  return out;
}

async function encodeAll(build, topicDatas) {
  let bytes = 0;
  for (let i = 0; i < topicDatas.length; i++) {
    const request = build.produce({
      acks: -1, timeout: 30_000, transactionalId: 'vigil-detect-0', producerId: build.Long.fromNumber(4711), producerEpoch: 3, compression: 0, topicData: topicDatas[i],
    });
    const encoded = await build.createRequest({ correlationId: i, clientId: 'vigil-detect', request });
    bytes += encoded.buffer.length;
  }
  return bytes;
}

const builds = { A: load(dirA), B: load(dirB) };
const topicDatas = detectLikeRequests(requests);
const records = requests * MESSAGES_PER_REQUEST;

// Same input, same bytes: the encoders read the clock for the batch timestamps, so it stands still here.
const realNow = Date.now;
Date.now = () => 1_765_000_000_000;
const sample = topicDatas.slice(0, 5);
const encodedBy = async (build) => Promise.all(sample.map((topicData, i) => build.createRequest({ correlationId: i, clientId: 'c', request: build.produce({ acks: -1, timeout: 1, transactionalId: 't', producerId: build.Long.fromNumber(1), producerEpoch: 0, compression: 0, topicData }) })));
const [a, b] = [await encodedBy(builds.A), await encodedBy(builds.B)];
Date.now = realNow;
if (!a.every((e, i) => e.buffer.equals(b[i].buffer))) throw new Error('the two builds encode different bytes');

const results = { A: [], B: [] };
for (let round = 1; round <= rounds + 1; round++) {
  for (const name of round % 2 === 1 ? ['A', 'B'] : ['B', 'A']) {
    const cpu = process.cpuUsage();
    const bytes = await encodeAll(builds[name], topicDatas);
    const { user, system } = process.cpuUsage(cpu);
    const micros = user + system;
    if (round === 1) continue; // warm-up
    const run = { round: round - 1, build: name, microsPerRecord: Math.round((micros / records) * 1000) / 1000, mbPerSecond: Math.round(bytes / micros) };
    results[name].push(run);
    console.log(JSON.stringify(run));
  }
}
for (const name of ['A', 'B']) {
  const runs = results[name];
  const mean = (field) => Math.round((runs.reduce((sum, run) => sum + run[field], 0) / runs.length) * 1000) / 1000;
  console.log(JSON.stringify({ build: name, dir: name === 'A' ? dirA : dirB, microsPerRecord: mean('microsPerRecord'), mbPerSecond: mean('mbPerSecond') }));
}

const batch = Buffer.from(Array.from({ length: 150_000 }, random(32)).map((x) => Math.floor(x * 256)));
for (const name of ['A', 'B', 'A', 'B']) {
  const { crc32C } = builds[name];
  const passes = 2_000;
  const cpu = process.cpuUsage();
  for (let i = 0; i < passes; i++) crc32C(batch);
  const { user, system } = process.cpuUsage(cpu);
  console.log(JSON.stringify({ build: name, crc32CGBPerSecond: Math.round(((batch.length * passes) / ((user + system) * 1000)) * 100) / 100 }));
}
