// Detect's processor without Kafka (issue 18, docs/performance.md "Changelog: …"): the finance
// template's DetectProcessor over simulator events in per-partition batches, as the stage runs it;
// prints CPU per event and the changelog records and bytes per event it produced.
// Usage: npm run build --silent && node tools/changelog-probe.mjs [dist] [events] [batch] [--digest]
//   (dist: a build directory, default ./dist, e.g. a build of an older commit to compare with;
//   --digest adds outputDigest, a SHA-256 of every message produced (topic, key, value) in order,
//   so two builds can be shown to produce the same findings, alerts and changelog bytes)
import { createHash } from 'node:crypto';
import path from 'node:path';

const args = process.argv.slice(2).filter((arg) => arg !== '--digest');
const digest = process.argv.includes('--digest') ? createHash('sha256') : undefined;
const dist = path.resolve(args[0] ?? 'dist');
const events = Number(args[1] ?? 200_000);
const batchSize = Number(args[2] ?? 1000);
const { loadConfig } = await import(path.join(dist, 'config/vigil-config.js'));
const { loadBaseTemplate } = await import(path.join(dist, 'bench/bench-template.js'));
const { loadTemplateByRef } = await import(path.join(dist, 'app/build-core.js'));
const { builtInGenerators } = await import(path.join(dist, 'domains/domains.js'));
const { DetectProcessor } = await import(path.join(dist, 'stages/detect/detect.processor.js'));
const { RuleBook } = await import(path.join(dist, 'rules/rule-book.js'));
const { detectorSlots } = await import(path.join(dist, 'runtime/detector-slots.js'));
const { changelogTopic, groupId } = await import(path.join(dist, 'model/topics.js'));

const config = loadConfig(process.env);
const loaded = await loadTemplateByRef(config, (await loadBaseTemplate(config)).file);
const { template } = loaded;
const generator = builtInGenerators().create(template.simulator.generator, { seed: template.simulator.seed, params: template.simulator.params });
const partitions = template.topics.partitions;
const start = Date.UTC(2026, 11, 7, 8);
const byPartition = Array.from({ length: partitions }, () => []);
const partitionOf = (key) => {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % partitions;
};
for (let i = 0; i < events; i++) {
  const e = generator.next(start + i * 5);
  const p = partitionOf(e.key);
  const messages = byPartition[p];
  messages.push({ topic: 'in', partition: p, offset: String(messages.length), key: Buffer.from(e.key), value: Buffer.from(JSON.stringify(e.value)), timestamp: String(start + i * 5) });
}
const quiet = { debug() {}, info() {}, warn() {} };
const slots = RuleBook.seeded(template, detectorSlots(loaded), quiet).slots();
const processor = new DetectProcessor(template, slots, quiet, () => start, undefined, loaded.format);
const changelog = changelogTopic(groupId(template, 'detect'));
let processed = 0;
let records = 0;
let bytes = 0;
const cpu = process.cpuUsage();
for (let offset = 0; ; offset += batchSize) {
  let any = false;
  for (let p = 0; p < partitions; p++) {
    const messages = byPartition[p].slice(offset, offset + batchSize);
    if (messages.length === 0) continue;
    any = true;
    const output = processor.process({ topic: 'in', partition: p, messages });
    processed += output.events;
    for (const m of output.messages) {
      if (digest) for (const part of [m.topic, '\u0000', m.key ?? '', '\u0000', m.value ?? '\u0001', '\n']) digest.update(part);
      if (m.topic !== changelog) continue;
      records++;
      bytes += Buffer.byteLength(m.key) + (m.value === null ? 0 : Buffer.byteLength(m.value));
    }
  }
  if (!any) break;
}
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ dist, events: processed, batchSize, cpuMicrosPerEvent: Math.round(((used.user + used.system) / processed) * 100) / 100, changelogRecordsPerEvent: Math.round((records / processed) * 1000) / 1000, changelogBytesPerEvent: Math.round((bytes / processed) * 10) / 10, ...(digest ? { outputDigest: digest.digest('hex') } : {}) }));
