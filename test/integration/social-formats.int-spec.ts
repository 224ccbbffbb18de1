import { createTopic } from '../utils/kafka.js';
import { eventually, isolatedSocialTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';
import {
  JETSTREAM_ACCOUNT,
  JETSTREAM_DELETE,
  JETSTREAM_IDENTITY,
  JETSTREAM_LIKE,
  MASTODON_STREAMING_DELETE,
  jetstreamPost,
  jetstreamReply,
  mastodonReblog,
  mastodonStatus,
  mastodonStreamingUpdate,
} from '../../src/domains/social/formats/testing/social-fixtures.js';
import { MAX_TEXT_CHARS } from '../../src/domains/social/formats/social-post.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Case {
  readonly format: string;
  /** Messages the format reads as posts: post id → what its stored row must hold. */
  readonly posts: readonly { readonly value: string | Buffer; readonly id: string; readonly row: Record<string, unknown> }[];
  /** Messages it refuses: value → the dead-letter reason (a prefix of it). */
  readonly refused: readonly { readonly value: string; readonly reason: string }[];
}

/** Post times a few minutes ago: within the events table's TTL, and never ahead of the messages' own timestamps. */
function cases(now: number): Case[] {
  const at = (minutesAgo: number) => iso(now - minutesAgo * MINUTE);
  const big = jetstreamPost({ rkey: 'big', createdAt: at(3), text: `#Vigil ${'so much text '.repeat(25_000)}` });
  const reply = jetstreamReply();
  (reply.commit as { record: Record<string, unknown> }).record.createdAt = at(4);
  // A post whose text holds bytes that are not UTF-8 (a broken producer): read with U+FFFD.
  const broken = Buffer.from(JSON.stringify(jetstreamPost({ rkey: 'utf8', createdAt: at(2), text: 'great XX day #vigil' })));
  const at2 = broken.indexOf('XX');
  broken[at2] = 0xc3;
  broken[at2 + 1] = 0x28;
  return [
    {
      format: 'bluesky-jetstream',
      posts: [
        {
          value: JSON.stringify(jetstreamPost({ createdAt: at(5) })),
          id: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lcsvgxccm22k',
          row: { entity: 'vigil', hashtags: ['vigil'], mentions: ['alice.bsky.social'], links: ['https://example.com/notes/2026-release'], lang: 'en' },
        },
        { value: JSON.stringify(reply), id: 'at://did:plc:vwzwgnygau7ed7b7wt5ux7y2/app.bsky.feed.post/3lcsvh29yqk2b', row: { entity: 'outage', hashtags: ['outage', 'bigbank'] } },
        { value: JSON.stringify(big), id: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/big', row: { entity: 'vigil', text_length: MAX_TEXT_CHARS } },
        { value: broken, id: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/utf8', row: { text: 'great \uFFFD( day #vigil' } },
      ],
      refused: [
        { value: JSON.stringify(JETSTREAM_LIKE), reason: 'collection "app.bsky.feed.like" is not app.bsky.feed.post' },
        { value: JSON.stringify(JETSTREAM_DELETE), reason: 'operation "delete" is not the creation of a post' },
        { value: JSON.stringify(JETSTREAM_IDENTITY), reason: 'kind "identity" is not a post' },
        { value: JSON.stringify(JETSTREAM_ACCOUNT), reason: 'kind "account" is not a post' },
        { value: JSON.stringify(jetstreamPost({ rkey: 'undated', createdAt: undefined, text: 'no time' })).replace(/"time_us":\d+,/, ''), reason: 'field ts is required' },
        { value: '{"did": "did:plc:x", "kind": "commit", ', reason: 'value is not JSON' },
      ],
    },
    {
      format: 'mastodon-status',
      posts: [
        {
          value: JSON.stringify(mastodonStatus({ created_at: at(5) })),
          id: '113612345678901234',
          row: { entity: 'vigil', author: 'carol@fosstodon.org', mentions: ['dave@mastodon.social'], links: ['https://blog.example.org/posts/vigil-alerts'], likes: 17 },
        },
        { value: JSON.stringify({ ...mastodonReblog(), created_at: at(4) }), id: '113612399999999999', row: { entity: 'vigil', repost_of: '113612345678901234', author: 'erin' } },
        {
          value: JSON.stringify(mastodonStreamingUpdate(mastodonStatus({ id: '113612345678905555', created_at: at(3), content: '<p>No tags, just <b>bad</b> news</p>', tags: [], mentions: [], card: null }))),
          id: '113612345678905555',
          row: { entity: '(none)', text: 'No tags, just bad news' },
        },
      ],
      refused: [
        { value: JSON.stringify(MASTODON_STREAMING_DELETE), reason: 'streaming event "delete" is not a new post' },
        { value: JSON.stringify(mastodonStatus({ id: '113612345678906666', created_at: undefined })), reason: 'field ts is required' },
        { value: JSON.stringify(mastodonStatus({ id: undefined, created_at: at(1) })), reason: 'status id is missing' },
      ],
    },
  ];
}

describe('social source formats through the real broker and embedded ClickHouse', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  for (const format of ['bluesky-jetstream', 'mastodon-status']) {
    it(`${format}: posts are decoded and stored with their canonical fields, everything else dead-lettered with its reason`, async () => {
      const { posts, refused } = cases(Date.now()).find((c) => c.format === format)!;
      const template = await isolatedSocialTemplate(format);
      const input = `${template.prefix}.posts`;
      await createTopic(input, 3);
      pipeline = await startPipeline({ templateFile: template.file, database: `${template.prefix}_fmt`, services: ['detect', 'sink'] });
      const producer = await pipeline.owned.core.kafka.producer();
      try {
        await producer.send([...posts, ...refused].map(({ value }, i) => ({ topic: input, key: `k${i}`, value })));
      } finally {
        await producer.close();
      }
      const ch = pipeline.clickhouse;
      await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM social_posts'), (r) => r[0]!.n >= posts.length, 60_000, 'posts stored');
      await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM dead_letters'), (r) => r[0]!.n >= refused.length, 60_000, 'dead letters stored');

      const rows = await queryRows<Record<string, unknown>>(
        ch,
        `SELECT event_id, event_key, entity, author, text, toUInt32(length(text)) AS text_length, lang, hashtags, mentions, links, repost_of, likes, sentiment
         FROM social_posts ORDER BY event_id`,
      );
      expect(rows.map((row) => row.event_id)).toEqual(posts.map((p) => p.id).sort());
      for (const post of posts) {
        const row = rows.find((r) => r.event_id === post.id)!;
        expect({ id: post.id, ...row }).toMatchObject({ id: post.id, ...post.row });
        expect(row.event_key).toBe(row.entity);
        expect(typeof row.sentiment).toBe('number');
      }
      const letters = await queryRows<{ code: string; reason: string; source_topic: string }>(ch, 'SELECT code, reason, source_topic FROM dead_letters');
      expect(letters).toHaveLength(refused.length);
      for (const { reason } of refused) {
        expect(letters.filter((l) => l.reason.startsWith(reason) && l.source_topic === input && l.code.startsWith('VIGIL_EVENT_'))).toHaveLength(1);
      }
      // Every post went through the detectors too; none was stuck behind the refused ones.
      const core = pipeline.owned.core;
      await eventually(() => core.metrics.total(core.metrics.processed), (n) => n === posts.length, 30_000, 'every post through the detectors');
    }, 180_000);
  }
});
