import { extractTerms, MAX_TERMS_PER_POST } from './terms.js';

describe('extractTerms', () => {
  it('keeps content words lower-cased, once each, dropping stop words and short words', () => {
    expect(extractTerms('The new Update is BROKEN and the update broke my phone!!')).toEqual(['new', 'update', 'broken', 'broke', 'phone']);
  });

  it('drops URLs and mentions, keeps hashtags as their word', () => {
    expect(extractTerms('@support why is #Outage still on? https://status.example.com/x www.example.com')).toEqual(['outage']);
  });

  it('drops numbers and tokens that are not words', () => {
    expect(extractTerms('2024 3.5 :-) -- 100% price…')).toEqual(['price']);
  });

  it('treats a curly apostrophe like a straight one', () => {
    expect(extractTerms('It’s the customer’s fault')).toEqual(['customer\'s', 'fault']);
  });

  it('reads other scripts, lower-casing them, and rejects tokens with dots or emoji inside', () => {
    expect(extractTerms('CAFÉ Ärger 東京タワー acme.com good👍job «Straße»')).toEqual(['café', 'ärger', '東京タワー', 'straße']);
  });

  it('caps the terms taken from one post', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`).join(' ');
    expect(extractTerms(text)).toHaveLength(MAX_TERMS_PER_POST);
  });

  it('returns no terms for empty text', () => {
    expect(extractTerms('')).toEqual([]);
  });
});
