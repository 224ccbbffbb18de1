import type { SourceFormat } from '../../../model/source-format.js';
import { completePost, notAPost, objectAt, stringAt, uniqueLower } from './social-post.js';

const POST_COLLECTION = 'app.bsky.feed.post';
const TAG = 'app.bsky.richtext.facet#tag';
const MENTION = 'app.bsky.richtext.facet#mention';
const LINK = 'app.bsky.richtext.facet#link';
const EXTERNAL_EMBED = 'app.bsky.embed.external';

/**
 * Bluesky's Jetstream (the firehose as JSON): one message per repository event. Only the creation
 * of a post (`kind` commit, `operation` create, collection app.bsky.feed.post) is a post; likes,
 * follows, reposts, deletes, identity and account events are refused with a reason (subscribe with
 * `wantedCollections=app.bsky.feed.post` to leave them out upstream).
 *
 * The post's id is its AT URI, its author the DID (a handle is not part of a commit), its time the
 * record's `createdAt` (set by the client) or, when that is missing or unreadable, Jetstream's
 * `time_us`. Hashtags, mentions and links come from the record's facets: a tag facet names its
 * tag, a mention facet the DID, so the handle is read from the facet's byte slice of the text
 * ("@alice.bsky.social"), and a link facet its URI, as does an external embed (a link card).
 */
export const blueskyJetstreamFormat: SourceFormat = {
  name: 'bluesky-jetstream',
  description: 'Bluesky Jetstream commit events; app.bsky.feed.post creations become posts, everything else is dead-lettered.',
  normalize(document) {
    const kind = document.kind;
    if (kind !== 'commit') throw notAPost(`kind ${JSON.stringify(kind ?? null)} is not a post (expected "commit" of ${POST_COLLECTION})`);
    const commit = objectAt(document.commit);
    if (commit === undefined) throw notAPost('commit is missing');
    if (commit.collection !== POST_COLLECTION) throw notAPost(`collection ${JSON.stringify(commit.collection ?? null)} is not ${POST_COLLECTION}`);
    if (commit.operation !== 'create') throw notAPost(`operation ${JSON.stringify(commit.operation ?? null)} is not the creation of a post`);
    const did = stringAt(document.did);
    const rkey = stringAt(commit.rkey);
    if (did === undefined || rkey === undefined) throw notAPost('did and commit.rkey are required for the post id');
    const record = objectAt(commit.record);
    if (record === undefined) throw notAPost('commit.record is missing');
    const text = typeof record.text === 'string' ? record.text : '';
    const facets = readFacets(record.facets, text);
    const embed = objectAt(record.embed);
    const external = embed?.$type === EXTERNAL_EMBED ? stringAt(objectAt(embed.external)?.uri) : undefined;
    if (external !== undefined && !facets.links.includes(external)) facets.links.push(external);
    const langs = Array.isArray(record.langs) ? record.langs.filter((l): l is string => typeof l === 'string' && l !== '') : [];
    return {
      post_id: `at://${did}/${POST_COLLECTION}/${rkey}`,
      ts: postTime(record.createdAt, document.time_us),
      author: did,
      text,
      lang: langs[0]?.toLowerCase(),
      hashtags: uniqueLower(facets.tags),
      mentions: uniqueLower(facets.mentions),
      links: facets.links,
      reply_to: stringAt(objectAt(objectAt(record.reply)?.parent)?.uri),
    };
  },
  complete: completePost,
};

/** `createdAt` when it reads as a date; else Jetstream's receive time in microseconds (as ms); else nothing (dead-lettered by the decoder). */
function postTime(createdAt: unknown, timeUs: unknown): string | number | undefined {
  if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))) return createdAt;
  if (typeof timeUs === 'number' && Number.isFinite(timeUs) && timeUs > 0) return Math.floor(timeUs / 1000);
  return undefined;
}

interface Facets {
  tags: string[];
  mentions: string[];
  links: string[];
}

function readFacets(value: unknown, text: string): Facets {
  const found: Facets = { tags: [], mentions: [], links: [] };
  if (!Array.isArray(value)) return found;
  let bytes: Buffer | undefined;
  for (const facet of value) {
    const features = objectAt(facet)?.features;
    if (!Array.isArray(features)) continue;
    for (const item of features) {
      const feature = objectAt(item);
      if (feature === undefined) continue;
      if (feature.$type === TAG) {
        const tag = stringAt(feature.tag);
        if (tag !== undefined) found.tags.push(tag.replace(/^[#＃]/, ''));
      } else if (feature.$type === LINK) {
        const uri = stringAt(feature.uri);
        if (uri !== undefined && !found.links.includes(uri)) found.links.push(uri);
      } else if (feature.$type === MENTION) {
        bytes ??= Buffer.from(text, 'utf8');
        const handle = mentionHandle(bytes, objectAt(objectAt(facet)?.index));
        const mention = handle ?? stringAt(feature.did);
        if (mention !== undefined) found.mentions.push(mention);
      }
    }
  }
  return found;
}

/** The handle a mention facet covers ("@alice.bsky.social" → "alice.bsky.social"), or undefined when the slice is not one. */
function mentionHandle(bytes: Buffer, index: Record<string, unknown> | undefined): string | undefined {
  const start = index?.byteStart;
  const end = index?.byteEnd;
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end)) return undefined;
  if (start < 0 || end > bytes.length || end - start < 2 || end - start > 300) return undefined;
  const slice = bytes.subarray(start, end).toString('utf8');
  return /^@[\p{L}\p{N}._-]+$/u.test(slice) ? slice.slice(1) : undefined;
}
