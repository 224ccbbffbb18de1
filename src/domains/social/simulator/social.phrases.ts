/**
 * Sentences of simulated posts by mood, in words the sentiment scorer rates (VADER's lexicon):
 * `{e}` is the entity's name, `{p}` one of its products. Baseline moods mix so an entity's average
 * sentiment is mildly positive; `ANGRY` is what a sentiment turn sounds like.
 */

export const POSITIVE = [
  'I love the new {p} from {e}',
  '{e} nailed it, the {p} is great',
  'really happy with my {p} from {e}',
  '{e} support was super helpful today',
  'the {e} {p} works perfectly',
  'amazing {p}, well done {e}',
  "best {p} I've had in years, thanks {e}",
  '{e} just made my day',
  'so good, the {e} {p} is a winner',
  'great job {e}, the {p} is excellent',
  'pretty impressed by the {e} {p}',
  'glad I switched to {e}',
  'the new {e} {p} is beautiful',
  'not bad at all, {e}',
  "can't complain about {e}, solid {p}",
  'the {e} {p} is fun and easy',
  'thank you {e}, lovely {p}',
];

export const NEUTRAL = [
  'just got the {p} from {e}',
  'anyone tried the {e} {p} yet?',
  '{e} announced a new {p} today',
  'reading about the {e} {p}',
  'waiting for my {e} {p}',
  'does {e} open on sunday?',
  '{e} {p} update rolling out this week',
  'watching the {e} livestream',
  'thinking about the {e} {p}',
  'the {e} {p} arrives tomorrow',
  'my {p} from {e} came in blue',
  'which {e} {p} should I get?',
];

export const MILD_NEGATIVE = [
  'a bit disappointed with the {e} {p}',
  'the {e} {p} keeps crashing, annoying',
  'slow {p} from {e} again',
  'meh, expected more from {e}',
  '{e} support was not helpful',
  'the {e} {p} is too expensive',
  'not impressed by {e} today',
  'the {e} {p} looks nice but the price is bad',
];

export const ANGRY = [
  'worst {p} ever, {e} is a disaster',
  '{e} is totally broken, terrible',
  'absolutely awful service from {e}',
  'I hate what {e} did, this is horrible',
  '{e} scam! I want my money back',
  '{e} {p} down again, so angry',
  'never buying from {e} again, disgusting',
  'horrible, useless support at {e}',
  '{e} should be ashamed, pathetic',
  '{e} leaked our data?? scary and unacceptable',
  'furious with {e}, what a mess',
  'not happy at all with {e}, awful {p}',
  '{e} ruined the {p}, sad and disappointed',
  'boycott {e}, they lied to us',
  'the {e} {p} failed again, worst company',
];

/** Words a post may stretch ("sooo", "loooove") the way people type for emphasis. */
export const ELONGATE: Readonly<Record<string, string>> = {
  so: 'sooo',
  love: 'loooove',
  good: 'gooood',
  great: 'greeeat',
  bad: 'baaad',
  worst: 'woooorst',
  angry: 'angryyyy',
};

/** Words a post may shout in capitals. */
export const SHOUT = ['love', 'great', 'amazing', 'best', 'worst', 'hate', 'broken', 'awful', 'terrible', 'never', 'angry', 'scam', 'disaster'];

export const EMOJI = {
  positive: ['😍', '❤️', '👍', '🎉', '😊', '🙌', '✨', '😀'],
  neutral: ['👀', '🤔', '📦', '📅'],
  negative: ['😕', '🙄', '😒'],
  angry: ['😡', '😠', '👎', '😤', '💔', '🤬'],
} as const;

export const OPENERS = ['Honestly,', 'Ok so', 'Update:', 'PSA:', 'Wow,', 'Hmm,', 'Fun fact:', 'Well,'];

/** Posts in other languages (about 8%): the English scorer reads them as neutral or nearly so. */
export const OTHER_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  es: ['me encanta {e}', '{e} no funciona hoy', 'nuevo {p} de {e}', 'alguien probó {e}?'],
  de: ['{e} ist super', 'Ärger mit {e} heute', 'neues {p} von {e}', 'wer kennt {e}?'],
  fr: ["j'adore {e}", '{e} en panne encore', 'nouveau {p} chez {e}', 'quelqu’un a testé {e} ?'],
  pt: ['adoro a {e}', '{e} está péssimo hoje', 'novo {p} da {e}', 'alguém usa {e}?'],
};

export const NEWS_DOMAINS = ['news.example', 'dailywire.example', 'techdigest.example', 'localpaper.example'];
