/**
 * The rule constants and word lists of VADER (Hutto & Gilbert, ICWSM 2014; vaderSentiment 3.3),
 * whose values the paper derived from human ratings, plus the social-media spellings of the same
 * words. Nothing here was fitted on the evaluation corpora.
 */

/** Mean rating increase a booster ("very") adds to the next sentiment word; a dampener subtracts it. */
export const BOOST = 0.293;
/** Mean rating increase for a sentiment word in ALL CAPS while the rest of the text is not. */
export const CAPS_BOOST = 0.733;
/** A negated sentiment word keeps 74 % of its strength with the opposite sign. */
export const NEGATION_SCALAR = -0.74;
/** Each "!" (up to 4) adds this much emphasis to the whole text's sum. */
export const EXCLAMATION_BOOST = 0.292;
export const MAX_EXCLAMATIONS = 4;
/** Two or three "?" add this much each; more than three add QUESTION_CAP. */
export const QUESTION_BOOST = 0.18;
export const QUESTION_CAP = 0.96;
/** Normalisation of the valence sum into (-1, 1): sum / sqrt(sum² + ALPHA). */
export const NORMALIZE_ALPHA = 15;
/** "but": sentiment before it counts half, after it one and a half times. */
export const BEFORE_BUT = 0.5;
export const AFTER_BUT = 1.5;
/** A modifier two or three words before the sentiment word weighs less than one next to it. */
export const DISTANCE_WEIGHT: readonly number[] = [1, 0.95, 0.9];

/** Words that negate a sentiment word up to three positions after them; any "…n't" word too. */
export const NEGATIONS: readonly string[] = [
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', "ain't", "aren't", "can't",
  "couldn't", "daren't", "didn't", "doesn't", 'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt',
  'neither', "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't", 'neednt', "needn't", 'never',
  'none', 'nope', 'nor', 'not', 'nothing', 'nowhere', 'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't", 'without', 'wont', 'wouldnt', "won't",
  "wouldn't", 'rarely', 'seldom', 'despite',
  // Social-media spellings of the same negations.
  'dnt', 'wudnt', 'shudnt', 'cudnt', 'nvr', 'havnt', 'didn', 'doesn', 'isn', 'wasn', 'couldn', 'wouldn',
];

const UP = BOOST;
const DOWN = -BOOST;

/** VADER's degree adverbs: boosters raise the next sentiment word's strength, dampeners lower it. */
export const BOOSTERS: ReadonlyMap<string, number> = new Map([
  ...[
    'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably', 'decidedly', 'deeply',
    'effing', 'enormous', 'enormously', 'entirely', 'especially', 'exceptional', 'exceptionally', 'extreme',
    'extremely', 'fabulously', 'flipping', 'flippin', 'frackin', 'fracking', 'fricking', 'frickin', 'frigging',
    'friggin', 'fully', 'fuckin', 'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely',
    'incredible', 'incredibly', 'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely', 'quite',
    'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'total', 'totally', 'tremendous', 'tremendously',
    'uber', 'unbelievably', 'unusually', 'utter', 'utterly', 'very',
  ].map((word): [string, number] => [word, UP]),
  ...[
    'almost', 'barely', 'hardly', 'kinda', 'kindof', 'kind-of', 'less', 'little', 'marginal', 'marginally',
    'occasional', 'occasionally', 'partly', 'scarce', 'scarcely', 'slight', 'slightly', 'somewhat', 'sorta',
    'sortof', 'sort-of',
  ].map((word): [string, number] => [word, DOWN]),
]);

/** Social-media spellings of degree adverbs; unlike VADER's own, they never hide a rated word. */
export const SOCIAL_BOOSTERS: ReadonlyMap<string, number> = new Map([
  ...['freakin', 'freaking', 'fkn', 'fking', 'rly', 'rlly', 'realy', 'totes', 'mega', 'hecka'].map((word): [string, number] => [word, UP]),
  ...['lowkey', 'semi'].map((word): [string, number] => [word, DOWN]),
]);

/**
 * A negation followed by these does not negate: "not only good", "not just good", "without doubt",
 * "nothing short of wonderful", "not to mention".
 */
export const NEGATION_CANCELLERS: ReadonlySet<string> = new Set(['only', 'just', 'doubt']);
export const NEGATION_CANCELLING_PAIRS: ReadonlyMap<string, string> = new Map([
  ['short', 'of'],
  ['to', 'mention'],
]);

/** "kind of" and "sort of" dampen like "kinda"; "of" carries the dampening, looked up with the word before it. */
export const DAMPENING_PAIRS: ReadonlySet<string> = new Set(['kind', 'sort']);

/** Intensifiers written after the word they intensify ("cool af"). */
export const POST_BOOSTERS: ReadonlySet<string> = new Set(['af', 'asf']);

/**
 * Fixed expressions whose meaning is not the sum of their words; the value replaces the valence of
 * the expression's last word and the others count zero.
 */
export const IDIOMS: ReadonlyMap<string, number> = new Map([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['yeah right', -2],
  ['kiss of death', -1.5],
  ['to die for', 3],
  ['beating heart', 3.1],
  ['cut the mustard', 2],
  ['hand to mouth', -2],
  ['back handed', -2],
  ['blow smoke', -2],
  ['blowing smoke', -2],
  ['upper hand', 1],
  ['break a leg', 2],
  ['cooking with gas', 2],
  ['in the black', 2],
  ['in the red', -2],
  ['on the ball', 2],
  ['under the weather', -2],
  // "no" here asserts, it does not negate.
  ['no doubt', 0],
  ['no matter', 0],
  ['make no mistake', 0],
  // Eager anticipation, rated like "excited".
  ["can't wait", 2.2],
  ['cant wait', 2.2],
  ['cannot wait', 2.2],
]);
