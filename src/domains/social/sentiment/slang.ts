/**
 * Social-media vocabulary VADER's lexicon lacks. Aliases are respellings that mean exactly a
 * lexicon word ("luv" is "love") and take that word's human rating. Valences are ours, on VADER's
 * −4..+4 scale, set by reading each word's common meaning against lexicon words of similar strength
 * (for example "trash" beside "crap" −1.6 and "garbage"-like insults); they were not fitted on any
 * evaluation corpus. Words whose slang sense competes with a common literal one ("lit", "mid",
 * "epic", "salty", "goat", "slay": a slaying in the news is a killing) are left out: on ordinary
 * prose they mislead more than they help. A lexicon word is never overridden.
 */
export const SLANG_ALIASES: ReadonlyMap<string, string> = new Map([
  ['luv', 'love'], ['luvs', 'loves'], ['luvd', 'loved'], ['luvin', 'loving'], ['lovin', 'loving'], ['luvly', 'lovely'],
  ['gud', 'good'], ['grt', 'great'], ['gr8t', 'great'], ['kool', 'cool'], ['awsome', 'awesome'],
  ['awsum', 'awesome'], ['amazin', 'amazing'], ['amazeballs', 'amazing'], ['thnx', 'thanks'], ['thanx', 'thanks'], ['tnx', 'thanks'], ['tysm', 'thanks'], ['stoopid', 'stupid'],
  ['hatin', 'hating'], ['h8ers', 'haters'], ['h8er', 'hater'], ['h8s', 'hates'], ['suxx', 'sucks'],
  ['yas', 'yes'], ['yass', 'yes'], ['yasss', 'yes'], ['congratz', 'congrats'], ['grats', 'congrats'], ['gratz', 'congrats'], ['yayy', 'yay'], ['yummm', 'yummy'],
  ['yum', 'yummy'], ['delish', 'delicious'], ['fab', 'fabulous'], ['gorge', 'gorgeous'], ['happi', 'happy'],
  ['sry', 'sorry'], ['soz', 'sorry'], ['sowwy', 'sorry'], ['pwned', 'defeated'], ['bday', 'birthday'],
  ['fav', 'favorite'], ['fave', 'favorite'], ['favs', 'favorites'], ['faves', 'favorites'], ['awks', 'awkward'],
  ['kewl', 'cool'], ['coool', 'cool'],
]);

export const SLANG_VALENCES: ReadonlyMap<string, number> = new Map([
  // Positive.
  ['bae', 2.0], ['woo', 2.0],
  ['woop', 2.0], ['whoop', 2.0], ['yey', 2.4], ['wooo', 2.0], ['booyah', 2.3], ['stoked', 2.7], ['chuffed', 2.5], ['ilysm', 3.4], ['bestie', 2.0], ['legend', 2.0], ['legendary', 2.5],
  ['banger', 2.5], ['wholesome', 2.5], ['blessed', 2.9],
  // Negative.
  ['fml', -2.5], ['smfh', -1.8], ['smdh', -1.8], ['sus', -1.0], ['cringe', -1.8],
  ['cringey', -1.8], ['cringy', -1.8], ['toxic', -2.3], ['trash', -1.8], ['trashy', -1.8],
  ['garbage', -1.8], ['ew', -1.8], ['eww', -1.8], ['ewww', -1.8], ['yuck', -2.0], ['yikes', -1.5], ['argh', -1.5],
  ['bleh', -1.0], ['rip', -1.5], ['wth', -2.0], ['ffs', -2.0], ['omfg', -0.5],
  ['boo', -1.5], ['booo', -1.5], ['epicfail', -2.8], ['sucky', -2.0], ['ughh', -1.8],
  ['fk', -2.5], ['fkin', -2.0], ['shite', -2.6], ['scam', -2.5], ['scammers', -2.5], ['ripoff', -2.2],
]);

/**
 * Written laughter ("hahaha", "hehe", "bwahaha", "lolol") is not a lexicon entry in most spellings;
 * it reads as the lexicon's "haha" or "lol". Checked only after the word missed every table.
 * Returns the lexicon word it stands for, or undefined.
 */
export function laughterWord(word: string): string | undefined {
  const length = word.length;
  if (length < 4) return undefined;
  let hs = 0;
  let vowels = 0;
  let ls = 0;
  let os = 0;
  for (let i = 0; i < length; i++) {
    const c = word.charCodeAt(i);
    if (c === 104 /* h */) hs++;
    else if (c === 97 /* a */ || c === 101 /* e */ || c === 105 /* i */) vowels++;
    else if (c === 108 /* l */) ls++;
    else if (c === 111 /* o */) os++;
    else if (c !== 119 /* w */ && c !== 98 /* b */ && c !== 106 /* j */) return undefined;
  }
  if (hs >= 2 && vowels >= 2 && ls === 0 && os === 0) return 'haha';
  if (ls >= 2 && os >= 1 && hs === 0 && vowels === 0 && word.charCodeAt(0) === 108) return 'lol';
  return undefined;
}
