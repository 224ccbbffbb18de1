import type { SourceFormat } from '../../../model/source-format.js';
import { htmlToText } from './html-text.js';
import { completePost, MAX_TEXT_CHARS, notAPost, objectAt, stringAt, uniqueLower, cutText } from './social-post.js';

/** HTML beyond this is not read: far more markup than a post of MAX_TEXT_CHARS characters needs. */
const MAX_HTML_CHARS = 10 * MAX_TEXT_CHARS;

/**
 * A Mastodon Status entity, as the streaming API's `update` event carries it (its `payload`, a JSON
 * string, parsed) or as the REST API returns it. The streaming envelope itself
 * (`{"event":"update","payload":"…"}`) is read too; other events (`delete`, `notification`,
 * `status.update`, an edit of a post already counted) are refused with a reason.
 *
 * Ids (the post's, `reply_to`, `repost_of`) are the ids of the instance the stream comes from, as
 * the API gives them, so a reply names its parent's `post_id`. The content's HTML becomes plain text (htmlToText); tags and mentions come from the status's
 * own lists, links from the content's anchors that are neither hashtags nor mentions, plus the
 * preview card's URL. A reblog (boost) is a post by the booster whose text, tags, mentions and
 * links are the boosted status's, with `repost_of` naming that status: a boost amplifies what it
 * boosts, so trends and sentiment count it.
 */
export const mastodonStatusFormat: SourceFormat = {
  name: 'mastodon-status',
  description: 'Mastodon Status entities (streaming API `update` payloads or REST statuses); HTML content becomes text.',
  normalize(document) {
    const status = unwrapStreamingEvent(document);
    const id = idOf(status.id);
    if (id === undefined) throw notAPost('status id is missing');
    const reblog = objectAt(status.reblog);
    const shown = reblog ?? status;
    const content = typeof shown.content === 'string' ? shown.content : '';
    const { text, anchors } = htmlToText(content.length > MAX_HTML_CHARS ? cutText(content, MAX_HTML_CHARS) : content);
    const links = anchors.filter((a) => !/\b(mention|hashtag)\b/.test(a.className)).map((a) => a.href);
    const card = stringAt(objectAt(shown.card)?.url);
    if (card !== undefined && !links.includes(card)) links.push(card);
    const spoiler = typeof shown.spoiler_text === 'string' && shown.spoiler_text.trim() !== '' ? shown.spoiler_text.trim() : undefined;
    const account = objectAt(status.account);
    return {
      post_id: id,
      ts: status.created_at,
      author: stringAt(account?.acct)?.toLowerCase() ?? stringAt(account?.id),
      // A content warning is the first thing readers see, and it often carries the sentiment.
      text: spoiler === undefined ? text : `${spoiler}\n\n${text}`,
      lang: stringAt(shown.language)?.toLowerCase(),
      hashtags: uniqueLower(names(shown.tags, 'name')),
      mentions: uniqueLower(names(shown.mentions, 'acct')),
      links: [...new Set(links)],
      reply_to: idOf(status.in_reply_to_id),
      repost_of: reblog === undefined ? undefined : idOf(reblog.id),
      likes: count(status.favourites_count),
      reposts: count(status.reblogs_count),
      replies: count(status.replies_count),
    };
  },
  complete: completePost,
};

function unwrapStreamingEvent(document: Record<string, unknown>): Record<string, unknown> {
  if (!('event' in document) || 'id' in document) return document;
  const event = document.event;
  if (event !== 'update') throw notAPost(`streaming event ${JSON.stringify(event ?? null)} is not a new post (expected "update")`);
  const payload = document.payload;
  let status: unknown = payload;
  if (typeof payload === 'string') {
    try {
      status = JSON.parse(payload);
    } catch {
      throw notAPost('streaming payload is not JSON');
    }
  }
  const object = objectAt(status);
  if (object === undefined) throw notAPost('streaming payload is not a status object');
  return object;
}

/** Status ids are strings in the API; some bridges send numbers. */
function idOf(value: unknown): string | undefined {
  return stringAt(value) ?? (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined);
}

function names(list: unknown, property: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => objectAt(item)?.[property]).filter((name): name is string => typeof name === 'string');
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
