// Detect alone, two builds against each other in alternating rounds on one filled topic (issue 18,
// docs/performance.md "Changelog: binary values"): each round runs the bench's detect child
// (dist/bench/pipeline-run.js, as `npm run bench -- --split-stages` and `--peers` do) from build A
// and from build B, in alternating order, and reads each run's changelog topic back to count its
// records and bytes. Prints one JSON line per run, then the means per build.
// Usage: npm run build --silent && KAFKA_BROKERS=… node tools/detect-ab.mjs <distA> <distB> [events] [rounds] [cpu-prof dir]
//   e.g. a build of the commit before a change: git archive <commit> | tar -x -C /tmp/old, link
//   node_modules there, `npx tsc -p tsconfig.build.json`, and pass /tmp/old/dist and dist.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/vigil-config.js';
import { createKafkajsClient } from '../dist/kafka/kafkajs.client.js';
import { createLogger } from '../dist/logging/logger.js';
import { benchInputTopic, loadBaseTemplate, writeTemplateVariant } from '../dist/bench/bench-template.js';
import { fillTopic } from '../dist/bench/fill-topic.js';
import { deleteTopics } from '../dist/bench/bench-topics.js';
import { changelogTopic, groupId, templateTopics } from '../dist/model/topics.js';

const [distA, distB] = process.argv.slice(2, 4).map((dir) => path.resolve(dir ?? ''));
if (!process.argv[3]) throw new Error('usage: node tools/detect-ab.mjs <distA> <distB> [events] [rounds] [cpu-prof dir]');
const events = Number(process.argv[4] ?? 200_000);
const rounds = Number(process.argv[5] ?? 3);
const profDir = process.argv[6];
const config = loadConfig(process.env);
const brokers = config.kafkaBrokers;
if (!brokers) throw new Error('KAFKA_BROKERS must name a running broker');
const kafka = createKafkajsClient({ brokers, clientId: 'detect-ab', logger: createLogger('warn') });
const base = await loadBaseTemplate(config);
const runId = `ab${Date.now().toString(36)}`;
const workDir = await mkdtemp(path.join(os.tmpdir(), 'detect-ab-'));
const topic = benchInputTopic(base.template, runId);
const created = [topic];
const signal = new AbortController().signal;
try {
  const fill = await fillTopic({ kafka, template: base.template, topic, events, batchSize: 5000, signal });
  process.stderr.write(`filled ${topic}: ${events} events at ${fill.rate} msgs/s\n`);
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [['A', distA], ['B', distB]] : [['B', distB], ['A', distA]];
    for (const [build, dist] of order) {
      const variant = await writeTemplateVariant(config, { baseFile: base.file, dir: workDir, runId, variant: `${build.toLowerCase()}_r${round}`, inputTopic: topic });
      const changelog = changelogTopic(groupId(variant.template, 'detect'));
      created.push(...templateTopics(variant.template).map((t) => t.topic).filter((t) => t !== topic), changelog);
      const { measurePipeline } = await import(path.join(dist, 'bench/pipeline-measure.js'));
      const cpuProfDir = profDir && round === rounds ? path.join(profDir, build) : undefined;
      const result = await measurePipeline({ brokers, templateFile: variant.file, events, stages: ['detect'], timeoutMs: 600_000, env: process.env, signal, ...(cpuProfDir ? { cpuProfDir } : {}) });
      let records = 0;
      let bytes = 0;
      const partitions = [...Array(variant.template.topics.partitions).keys()];
      await kafka.readToEnd(changelog, partitions, (_partition, messages) => {
        for (const m of messages) {
          records++;
          bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
        }
      });
      const run = {
        round, build, rate: result.rate, cpuSeconds: result.cpuSeconds, cpuMicrosPerEvent: Math.round((result.cpuSeconds * 1e7) / events) / 10,
        findings: result.findings, alerts: result.alerts, changelogRecordsPerEvent: Math.round((records / events) * 1000) / 1000, changelogBytesPerEvent: Math.round((bytes / events) * 10) / 10,
      };
      runs.push(run);
      console.log(JSON.stringify(run));
    }
  }
  for (const build of ['A', 'B']) {
    const mine = runs.filter((run) => run.build === build);
    const mean = (field) => Math.round((mine.reduce((sum, run) => sum + run[field], 0) / mine.length) * 100) / 100;
    console.log(JSON.stringify({ build, dist: build === 'A' ? distA : distB, rate: mean('rate'), cpuMicrosPerEvent: mean('cpuMicrosPerEvent'), changelogRecordsPerEvent: mean('changelogRecordsPerEvent'), changelogBytesPerEvent: mean('changelogBytesPerEvent') }));
  }
} catch (error) {
  process.stderr.write(`detect-ab failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await deleteTopics(brokers, created).catch((error) => process.stderr.write(`deleting the topics failed: ${error}\n`));
  await rm(workDir, { recursive: true, force: true });
  process.exit();
}
