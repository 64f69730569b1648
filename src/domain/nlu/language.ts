/**
 * Which language a message is clearly written in (issue #16: the reply language changes only on a
 * clear sentence in the other language, never on gibberish, emoji or punctuation). Chinese: any
 * Han character. English: English words the bot knows, not just Latin letters ("asdfgh", "xswl",
 * "zzzz" are no language).
 */
import { normalizeText } from './extract.ts';

/** Common English words, the words customers use with a housekeeping desk, and greetings. */
const ENGLISH = new Set(
  (
    'a an the i me my mine you your we our us he she her his it its they them their this that these those ' +
    'is am are was were be been being do does did done have has had will would can could shall should may might must ' +
    'and or but if so not no yes yeah yep nope ok okay please thanks thank cheers sorry hello hi hey bye goodbye ' +
    'what when where which who whom whose why how there here then than too very just also only still again ' +
    'to of in on at by for with from about into over after before until up down out off as all any some every each ' +
    'one two three four five six seven eight nine ten first next last this today tomorrow tonight yesterday morning ' +
    'afternoon evening night noon week weekend month year day days time times hour hours minute minutes am pm ' +
    'monday tuesday wednesday thursday friday saturday sunday ' +
    'book booking bookings booked appointment appointments reservation order orders cancel cancelled reschedule ' +
    'change move postpone earlier later price prices cost costs how much fee charge charged pay paid refund money ' +
    'clean cleaning cleaner cleaners house home flat apartment room rooms kitchen bathroom window windows glass ' +
    'curtain curtains aircon air conditioner plant plants pest cockroach cockroaches ants nanny maid helper cook ' +
    'cooking baby child children kid kids elderly mother father mom dad mum parents ' +
    'complain complaint complaints broke broken damage damaged dirty late rude missing stolen lost never came ' +
    'come came coming want need like would help menu service services person human agent staff manager someone ' +
    'talk speak call phone number address name mr ms mrs miss good great fine nice bad ' +
    'see know get got make made let tell told send sent check show give go going went arrive arrived ' +
    'report reports figures stats statistics satisfaction many much more less ' +
    'delete erase remove data information info personal account message chat reply answer question'
  ).split(' '),
);

/** Single words Chinese customers type too ("ok", "yes"): alone they say nothing about the language. */
const AMBIGUOUS: ReadonlySet<string> = new Set(['ok', 'okay', 'yes', 'no', 'a', 'i', 'am', 'pm']);

/** Whether the text is clearly English: one known word, or several words of which a third are known. */
export function isClearEnglish(text: string): boolean {
  const s = normalizeText(text);
  if (/\p{Script=Han}/u.test(s)) return false;
  const words = s.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  if (words.length === 0) return false;
  const known = words.filter((w) => !AMBIGUOUS.has(w) && ENGLISH.has(w.replace(/'.*$/, ''))).length;
  if (words.length === 1) return known === 1;
  return known >= 1 && known * 3 >= words.length;
}
