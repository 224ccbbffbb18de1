import { VigilError } from '../../../errors/vigil-error.js';
import type { FieldValue } from '../../../model/records.js';
import { scoreSentiment } from '../sentiment/index.js';
import { extractHashtags, extractLinks, extractMentions } from '../text/post-entities.js';

/**
 * The canonical post: the field names the social template declares and its detectors, tables and
 * dashboard read. Every social source format produces a flat document with these names (the
 * `social-json` format reads them from the user's own paths instead).
 */
export const POST_FIELDS = [
  'post_id',
  'ts',
  'author',
  'text',
  'lang',
  'hashtags',
  'mentions',
  'links',
  'entity',
  'reply_to',
  'repost_of',
  'likes',
  'reposts',
  'replies',
] as const;
export type PostField = (typeof POST_FIELDS)[number];

/** The entity of a post that names none and has no hashtag: one key for "about nothing in particular". */
export const NO_ENTITY = '(none)';

/**
 * Longer texts are cut to this many characters. Real networks stop far below it (Bluesky 300
 * graphemes, Mastodon 500 by default, X 25,000 for paid accounts, rarely reached), so only a
 * broken or hostile producer reaches it; the cut keeps the post counted while the scorer and the
 * term sketches never walk a megabyte of text.
 */
export const MAX_TEXT_CHARS = 10_000;

/** Hashtags, mentions and links kept per post; more is spam, and every list a detector walks stays small. */
export const MAX_LIST_ITEMS = 100;

/**
 * What every social format does once the fields are typed:
 * - the text cut to MAX_TEXT_CHARS;
 * - hashtags, mentions and links found in the (cut) text when the source lists none, and every
 *   list cut to MAX_LIST_ITEMS;
 * - the entity, when the source names none: the first hashtag, else NO_ENTITY;
 * - `sentiment`, when the template declares that field and the post brings no score of its own:
 *   the scorer's compound score in [-1, 1] (the one the sentiment detector computes), so tables
 *   and dashboards can show sentiment without a detector's help.
 * A post without text stays a post: it counts for volume and is scored neutral (0).
 */
export function completePost(fields: Record<string, FieldValue>): void {
  let text = typeof fields.text === 'string' ? fields.text : '';
  if (text.length > MAX_TEXT_CHARS) fields.text = text = cutText(text, MAX_TEXT_CHARS);
  for (const [name, extract] of [
    ['hashtags', extractHashtags],
    ['mentions', extractMentions],
    ['links', extractLinks],
  ] as const) {
    const listed = fields[name];
    const list = Array.isArray(listed) && listed.length > 0 ? listed : extract(text);
    fields[name] = list.length > MAX_LIST_ITEMS ? list.slice(0, MAX_LIST_ITEMS) : list;
  }
  const entity = fields.entity;
  if (entity === null || entity === undefined || (typeof entity === 'string' && entity.trim() === '')) {
    const hashtags = fields.hashtags as string[];
    fields.entity = hashtags[0] ?? NO_ENTITY;
  }
  if ('sentiment' in fields && fields.sentiment === null) fields.sentiment = Math.round(scoreSentiment(text).score * 10_000) / 10_000;
}

/** The first `max` UTF-16 units, never ending inside a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** A format's refusal: the message is the dead-letter reason. */
export function notAPost(reason: string): VigilError {
  return new VigilError('VIGIL_EVENT_SCHEMA', reason);
}

/** A property that must be an object, or undefined. */
export function objectAt(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Lower-cased, without duplicates, in order of first appearance; blanks dropped. */
export function uniqueLower(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const v = value.trim().toLowerCase();
    if (v !== '') out.add(v);
  }
  return [...out];
}
