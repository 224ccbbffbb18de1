import { decodeCharacterReferences, htmlToText } from './html-text.js';

describe('htmlToText', () => {
  it('reads Mastodon content: paragraphs, line breaks, hidden parts of a long link, anchors with their classes', () => {
    const { text, anchors } = htmlToText(
      '<p>Hi <a href="https://ex.social/tags/Vigil" class="mention hashtag" rel="tag">#<span>Vigil</span></a></p>' +
        '<p>See <a href="https://blog.example.org/a?b=1&amp;c=2"><span class="invisible">https://</span><span class="ellipsis">blog.example.org/a</span><span class="invisible">?b=1&amp;c=2</span></a><br/>bye</p>',
    );
    expect(text).toBe('Hi #Vigil\n\nSee https://blog.example.org/a?b=1&c=2\nbye');
    expect(anchors).toEqual([
      { href: 'https://ex.social/tags/Vigil', className: 'mention hashtag' },
      { href: 'https://blog.example.org/a?b=1&c=2', className: '' },
    ]);
  });

  it('drops script and style bodies and comments, and keeps text that only looks like markup', () => {
    expect(htmlToText('a<script>alert("x")</script>b<style>p{}</style>c<!-- hidden -->d').text).toBe('abcd');
    expect(htmlToText('1 < 2 and 3 > 2').text).toBe('1 < 2 and 3 > 2');
    expect(htmlToText('<p>unclosed <script>never ends').text).toBe('unclosed');
  });

  it('is linear on hostile input: many unclosed tags and quotes', () => {
    const hostile = '<a href="'.repeat(20_000) + '<script>'.repeat(20_000);
    const started = performance.now();
    htmlToText(hostile);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('decodeCharacterReferences', () => {
  it('decodes named, decimal and hex references and leaves unknown ones as written', () => {
    expect(decodeCharacterReferences('it&#39;s &amp; &lt;3 &#x1F680; &hellip; &nbsp;x &bogus; &#0;')).toBe('it\'s & <3 🚀 …  x &bogus; \uFFFD');
  });
});
