/**
 * Hashtags, mentions and links as a post's text writes them, for sources that do not list them
 * (a flat JSON feed) and for the detectors when a post's `hashtags` field is empty. Pure functions:
 * each returns a new array in order of first appearance, without duplicates.
 */

/**
 * `#tag` at the start of the text or after a character that is not a letter, digit, `_` or `&`
 * (so "a#b" and HTML entities "&#39;" are not tags); the tag is letters, digits, `_` and joiners,
 * and not digits only ("#1" is a rank, as on Twitter and Mastodon).
 */
const HASHTAG = /(?<![\p{L}\p{N}_&#])[#＃]([\p{L}\p{M}\p{N}_\u200c\u200d]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_\u200c\u200d]*)/gu;

/**
 * `@handle`, `@user@instance.social` (Mastodon) and `@alice.bsky.social` (Bluesky): after a
 * character that is not a letter, digit, `_`, `@` or `/` (so e-mail addresses and URL paths are
 * not mentions); a trailing dot or dash belongs to the sentence, not the handle.
 */
const MENTION = /(?<![\p{L}\p{N}_@/.])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu;

/** http(s) URLs and bare `www.` links, up to whitespace; trailing punctuation is the sentence's. */
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const LINK_TRAILING = /[.,;:!?'")\]}>…]+$/u;

/** Hashtags in `text`, lower-cased and without `#` ("#Vigil and #vigil" → ["vigil"]). */
export function extractHashtags(text: string): string[] {
  return collect(text, HASHTAG, (match) => match[1]!.toLowerCase());
}

/** Mentioned handles, lower-cased and without the leading `@` ("@Alice.bsky.social" → ["alice.bsky.social"]). */
export function extractMentions(text: string): string[] {
  return collect(text, MENTION, (match) => match[1]!.toLowerCase());
}

/** Links as written, without the sentence's trailing punctuation ("(see https://x.io/a)." → ["https://x.io/a"]). */
export function extractLinks(text: string): string[] {
  return collect(text, LINK, (match) => trimLink(match[0]));
}

function trimLink(link: string): string {
  const trimmed = link.replace(LINK_TRAILING, '');
  // A closing bracket the link itself opened ("https://en.wikipedia.org/wiki/Foo_(bar)") is kept.
  if (link.length > trimmed.length && link[trimmed.length] === ')' && count(trimmed, '(') > count(trimmed, ')')) return `${trimmed})`;
  return trimmed;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

function collect(text: string, pattern: RegExp, value: (match: RegExpExecArray) => string): string[] {
  const found: string[] = [];
  if (typeof text !== 'string' || text.length === 0) return found;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const item = value(match);
    if (item.length > 0 && !found.includes(item)) found.push(item);
  }
  return found;
}
