/**
 * Emoji valences, ours, on VADER's −4..+4 scale: each emoji rated as the lexicon rates the words of
 * its usual reading (😍 "adore" 2.9, 😡 "furious" −3.0 …). Keyed by code point so the tokenizer looks
 * them up without building a string. Emoji not listed count as neutral tokens.
 */
const RATED: readonly (readonly [string, number])[] = [
  // Smiles and laughter.
  ['😀', 2.2], ['😃', 2.3], ['😄', 2.4], ['😁', 2.3], ['😆', 2.2], ['😅', 1.0], ['😂', 1.9], ['🤣', 2.0],
  ['🙂', 1.5], ['😊', 2.4], ['😇', 2.0], ['🥰', 3.0], ['😍', 3.0], ['🤩', 3.0], ['😘', 2.6], ['😗', 1.8],
  ['😚', 2.2], ['😙', 2.0], ['☺', 2.2], ['😋', 2.0], ['😛', 1.5], ['😜', 1.5], ['🤪', 1.2], ['😝', 1.3],
  ['🤗', 2.4], ['😉', 1.5], ['😌', 1.5], ['😎', 1.8], ['🥳', 2.8], ['😸', 2.2], ['😹', 1.9], ['😻', 2.9],
  ['😺', 2.0], ['😏', 0.5], ['🤤', 1.0],
  // Hearts, hands and other approval.
  ['❤', 3.0], ['♥', 2.8], ['💕', 2.8], ['💖', 2.8], ['💗', 2.8], ['💓', 2.7], ['💞', 2.7], ['💘', 2.6],
  ['💝', 2.6], ['💜', 2.5], ['💙', 2.5], ['💚', 2.5], ['💛', 2.5], ['🧡', 2.5], ['🤍', 2.3], ['🖤', 1.5],
  ['💋', 2.2], ['👍', 2.0], ['👌', 1.8], ['👏', 2.0], ['🙌', 2.2], ['💪', 1.8], ['🙏', 1.5],
  ['✌', 1.5], ['🤝', 1.5], ['🎉', 2.5], ['🎊', 2.5], ['🥂', 2.0], ['🍾', 2.0], ['🏆', 2.5], ['🥇', 2.5],
  ['🌟', 2.0], ['⭐', 1.8], ['✨', 1.5], ['💯', 2.0], ['🔥', 1.5], ['🌈', 1.5], ['☀', 1.3], ['🌞', 1.8],
  ['🌹', 1.8], ['🌸', 1.5], ['💐', 1.8], ['🎁', 1.8], ['✅', 1.2], ['✔', 1.0], ['🆒', 1.3], ['🤙', 1.5],
  ['🥹', 1.5],
  // Sadness, anger, disgust, fear.
  ['😞', -2.2], ['😔', -2.0], ['😟', -1.8], ['😕', -1.3], ['🙁', -1.8], ['☹', -2.0], ['😣', -1.8],
  ['😖', -2.0], ['😫', -1.9], ['😩', -1.9], ['🥺', -0.8], ['😢', -2.2], ['😭', -2.0], ['😤', -1.6],
  ['😠', -2.5], ['😡', -3.0], ['🤬', -3.2], ['😒', -1.8], ['🙄', -1.5], ['😑', -0.6], ['😐', -0.3],
  ['😬', -1.0], ['😰', -2.0], ['😨', -2.0], ['😱', -1.8], ['😥', -1.6], ['😓', -1.5], ['😪', -1.0],
  ['😴', -0.3], ['🤢', -2.2], ['🤮', -2.8], ['😷', -1.3], ['🤒', -1.8], ['🤕', -1.8], ['💔', -2.8],
  ['👎', -2.0], ['🖕', -3.0], ['💩', -1.8], ['😿', -2.2], ['😾', -2.2], ['☠', -1.5], ['💀', -0.8],
  ['❌', -1.2], ['⚠', -1.0], ['🚫', -1.3], ['😦', -1.5], ['😧', -1.5], ['😮', 0.2], ['😲', 0.3],
  ['🤦', -1.5], ['😶', -0.3], ['🤥', -1.8], ['👿', -2.5], ['😈', 0.5], ['🤡', -1.5], ['🫠', -0.8],
];

export const EMOJI_VALENCES: ReadonlyMap<number, number> = new Map(RATED.map(([emoji, valence]) => [emoji.codePointAt(0)!, valence]));

/**
 * Whether a code point is a pictograph that stands as a word of its own ("love😍" is two tokens).
 * Covers the emoji blocks of the supplementary planes and the BMP's symbols and dingbats.
 */
export function isEmoji(codePoint: number): boolean {
  return (
    (codePoint >= 0x1f000 && codePoint <= 0x1faff) ||
    (codePoint >= 0x2600 && codePoint <= 0x27bf) ||
    (codePoint >= 0x2b00 && codePoint <= 0x2bff) ||
    codePoint === 0x2665 ||
    codePoint === 0x263a ||
    codePoint === 0x2639
  );
}

/**
 * Code points that modify the emoji before them (variation selectors, zero-width joiner, skin tones,
 * tag characters): no token of their own, and they do not join words either.
 */
export function isEmojiModifier(codePoint: number): boolean {
  return (
    codePoint === 0xfe0f ||
    codePoint === 0xfe0e ||
    codePoint === 0x200d ||
    codePoint === 0x20e3 ||
    (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) ||
    (codePoint >= 0xe0020 && codePoint <= 0xe007f)
  );
}
