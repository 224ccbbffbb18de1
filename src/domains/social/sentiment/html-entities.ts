const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };
const ENTITY = /&(?:amp|lt|gt|quot|#39|apos);/g;

/**
 * Posts often arrive HTML-escaped (Twitter's API, Mastodon's content): "&lt;3" is a heart and
 * "&gt;" must not be read as the word "gt". Only texts containing "&" pay for the replace.
 */
export function decodeHtmlEntities(text: string): string {
  return text.includes('&') ? text.replace(ENTITY, (entity) => ENTITIES[entity] ?? entity) : text;
}
