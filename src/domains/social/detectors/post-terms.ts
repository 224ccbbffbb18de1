import { z } from 'zod';
import type { VigilEvent } from '../../../model/records.js';
import { extractHashtags } from '../text/post-entities.js';
import { extractTerms, MAX_TERM_TEXT } from '../text/terms.js';

/** What the trend detectors count: the post's hashtags, the words of its text, or its author. */
export const TERM_SOURCES = ['hashtags', 'terms', 'authors'] as const;
export type TermSource = (typeof TERM_SOURCES)[number];

/**
 * The post fields the trend detectors read, by their canonical names: `key` is the field the
 * counts are kept per (the entity the post is about, which the stream is partitioned by).
 */
export const postTermParams = {
  of: z.enum(TERM_SOURCES).default('hashtags'),
  key: z.string().min(1).default('entity'),
  hashtagsField: z.string().min(1).default('hashtags'),
  textField: z.string().min(1).default('text'),
  authorField: z.string().min(1).default('author'),
};

export interface PostTermFields {
  readonly of: TermSource;
  readonly key: string;
  readonly hashtagsField: string;
  readonly textField: string;
  readonly authorField: string;
}

/** The canonical fields a trend detector reads for its `of`. */
export function termFields(p: PostTermFields): string[] {
  if (p.of === 'hashtags') return [p.key, p.hashtagsField, p.textField];
  if (p.of === 'terms') return [p.key, p.textField];
  return [p.key, p.authorField];
}

/** The event's key value, or undefined when the post has none (such posts are not counted). */
export function postKey(event: VigilEvent, p: PostTermFields): string | undefined {
  const value = event.fields[p.key];
  if (value === null || value === undefined || value === '' || Array.isArray(value)) return undefined;
  return String(value);
}

/**
 * The items one post counts for, each once: the `hashtags` field lower-cased (without a leading
 * `#`), or, when the source listed none, the #tags of its text; the terms of its text; or its author.
 */
export function postTerms(event: VigilEvent, p: PostTermFields): readonly string[] {
  if (p.of === 'authors') {
    const author = event.fields[p.authorField];
    return typeof author === 'string' && author.length > 0 ? [author] : typeof author === 'number' ? [String(author)] : [];
  }
  const text = event.fields[p.textField];
  if (p.of === 'terms') return typeof text === 'string' ? extractTerms(text) : [];
  const listed = event.fields[p.hashtagsField];
  if (Array.isArray(listed) && listed.length > 0) return normaliseTags(listed);
  if (typeof listed === 'string' && listed.length > 0) return extractHashtags(listed.startsWith('#') ? listed : `#${listed}`);
  // Like terms, tags are read from the head of a huge post only: a 1 MB post must not stall the partition.
  return typeof text === 'string' ? extractHashtags(text.length > MAX_TERM_TEXT ? text.slice(0, MAX_TERM_TEXT) : text) : [];
}

function normaliseTags(listed: readonly string[]): string[] {
  const tags: string[] = [];
  for (const raw of listed) {
    if (typeof raw !== 'string') continue;
    const tag = (raw.startsWith('#') ? raw.slice(1) : raw).toLowerCase();
    if (tag.length > 0 && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** How an item is written in titles: `#tag` for hashtags, as is otherwise. */
export function itemLabel(of: TermSource, item: string): string {
  return of === 'hashtags' ? `#${item}` : item;
}
