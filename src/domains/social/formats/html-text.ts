/**
 * HTML as posts carry it (Mastodon's `content`: paragraphs, line breaks, links, hashtag and mention
 * anchors, spans hiding part of a long URL) turned into the text a reader sees. Not a general HTML
 * parser: tags are dropped, `<p>` and `<br>` become line breaks, script and style bodies and
 * comments are removed, and character references are decoded. Linear in the input.
 */

export interface HtmlAnchor {
  readonly href: string;
  /** The anchor's class attribute ("mention hashtag", "u-url mention"), '' when absent. */
  readonly className: string;
}

export interface HtmlText {
  readonly text: string;
  readonly anchors: readonly HtmlAnchor[];
}

/** Quoted values and the rest stop at `<`, so a tag left open never makes a scan run to the end again. */
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b((?:[^<>"']|"[^<"]*"|'[^<']*')*)>/g;
const DROPPED_OPENING = /<!--|<(script|style)\b/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const BLOCK_TAGS = new Set(['p', 'div', 'blockquote', 'li', 'ul', 'ol', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

export function htmlToText(html: string): HtmlText {
  const anchors: HtmlAnchor[] = [];
  const withoutBlocks = html.includes('<') ? dropHiddenBlocks(html) : html;
  let paragraphs = 0;
  const flat = withoutBlocks.replace(TAG, (tag: string, name: string, attributes: string) => {
    const lower = name.toLowerCase();
    const closing = tag.startsWith('</');
    if (lower === 'br') return '\n';
    if (lower === 'a' && !closing) {
      const attrs = readAttributes(attributes);
      if (attrs.href) anchors.push({ href: decodeCharacterReferences(attrs.href), className: attrs.class ?? '' });
      return '';
    }
    if (BLOCK_TAGS.has(lower)) {
      // A paragraph opening after another one starts a new block: one blank line between them.
      if (!closing) return paragraphs++ > 0 ? '\n\n' : '';
      return '';
    }
    return '';
  });
  const text = decodeCharacterReferences(flat)
    .replace(/[ \t\f\r]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, anchors };
}

/** Script and style bodies and comments, each found with one forward search (an unclosed one drops the rest). */
function dropHiddenBlocks(html: string): string {
  let out = '';
  let from = 0;
  DROPPED_OPENING.lastIndex = 0;
  for (let match = DROPPED_OPENING.exec(html); match !== null; match = DROPPED_OPENING.exec(html)) {
    out += html.slice(from, match.index);
    const closer = match[1] === undefined ? /-->/g : new RegExp(`</${match[1]}\\s*>`, 'gi');
    closer.lastIndex = match.index + match[0].length;
    const end = closer.exec(html);
    if (end === null) return out;
    from = end.index + end[0].length;
    DROPPED_OPENING.lastIndex = from;
  }
  return out + html.slice(from);
}

function readAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) attrs[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
  return attrs;
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  // A reader sees a space; tokenizers must too.
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  middot: '·',
  bull: '•',
  times: '×',
  deg: '°',
};

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

/** `&amp;`, `&#39;`, `&#x1F600;` and the common named references; unknown or invalid ones stay as written. */
export function decodeCharacterReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? NAMED[name.toLowerCase()] ?? whole;
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    // NUL, surrogates and beyond Unicode are what HTML replaces with U+FFFD.
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(code);
  });
}
