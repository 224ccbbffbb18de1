import type { VigilEvent } from '../../../model/records.js';
import type { Template } from '../../../model/template/template.schema.js';
import { encodeRecord } from '../../../runtime/changelog.js';
import { PartitionRuntime } from '../../../runtime/partition-runtime.js';
import { Random } from '../../../simulate/random.js';
import { SOCIAL_DETECTORS } from '../detectors/social-detectors.js';

/**
 * The per-post CPU cost and changelog volume of each social detector alone on one PartitionRuntime
 * (docs/social-trends.md): synthetic posts with Zipf-distributed words, hashtags, authors and
 * entities, the changelog drained every BATCH posts as the detect stage does per batch. CPU time
 * (user + system), so a busy machine inflates it less than wall time.
 *
 *     npm run build --silent && node dist/domains/social/eval/detector-cost.js
 */
const POSTS = 200_000;
const WARM_UP = 20_000;
const BATCH = 500;
const T0 = Date.UTC(2026, 0, 1);
const CONFIGS: readonly [string, Record<string, unknown>][] = [
  ['sentiment_shift', {}],
  ['trending_terms', { of: 'hashtags' }],
  ['trending_terms', { of: 'terms' }],
  ['trending_terms', { of: 'authors' }],
  ['emerging_terms', { of: 'hashtags' }],
  ['emerging_terms', { of: 'terms' }],
];
const SENTIMENT_WORDS = ['great', 'love', 'terrible', 'awful', 'happy', 'broken', 'fine', 'slow'];

function posts(): VigilEvent[] {
  const random = new Random(7);
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(random.next() * Math.log(n))) - 1);
  const words = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}abc`);
  const tags = Array.from({ length: 2_000 }, (_, i) => `tag${i}`);
  return Array.from({ length: POSTS }, (_, i) => {
    const text = Array.from({ length: 14 }, () => (random.next() < 0.15 ? SENTIMENT_WORDS[zipf(8)]! : words[zipf(5_000)]!)).join(' ');
    const entity = `e${zipf(50)}`;
    return {
      id: `at://did:plc:${(i % 9_973).toString(36).padStart(24, 'x')}/app.bsky.feed.post/${i.toString(36)}`,
      time: T0 + i * 300,
      key: entity,
      fields: { entity, text: `${text} #${tags[zipf(2_000)]}`, hashtags: [tags[zipf(2_000)]!, tags[zipf(2_000)]!], author: `a${zipf(20_000)}` },
      source: { topic: 'posts', partition: 0, offset: String(i) },
    };
  });
}

const input = posts();
const template = { name: 'cost', event: { maxOutOfOrderness: 0, allowedLateness: 0 } } as unknown as Template;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
for (const [name, raw] of CONFIGS) {
  const definition = SOCIAL_DETECTORS.find((d) => d.meta.name === name)!;
  const runtime = new PartitionRuntime(template, [{ id: 'd', definition, params: definition.meta.params.parse(raw) }], quiet);
  let changelogBytes = 0;
  let findings = 0;
  let start = process.cpuUsage();
  for (let i = 0; i < POSTS; i++) {
    if (i === WARM_UP) start = process.cpuUsage();
    findings += runtime.process(input[i]!).findings.length;
    if (i % BATCH === BATCH - 1) {
      for (const record of runtime.drainChanges()) {
        const { key, value } = encodeRecord(record);
        changelogBytes += key.length + (value?.length ?? 0);
      }
    }
  }
  const cpu = process.cpuUsage(start);
  const perPost = (cpu.user + cpu.system) / (POSTS - WARM_UP);
  process.stdout.write(
    `${name} ${JSON.stringify(raw)}: ${perPost.toFixed(2)} µs CPU per post, ${(changelogBytes / POSTS).toFixed(0)} B changelog per post, ${findings} findings\n`,
  );
}
