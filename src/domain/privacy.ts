/**
 * Personal details in text that leaves the customer's own chat (DOMAIN §5: phone numbers and
 * addresses are private). Structured fields are masked with `maskPhone` and `maskAddress`; free
 * text (a complaint's words, a survey comment) with `maskPersonalText`, which finds mainland
 * mobile and landline numbers, ID-card numbers and the door of an address wherever they are typed.
 */

/** 13812345678 -> 138****5678; anything shorter than 7 characters -> ****. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 阳光小区3栋2单元501 -> 阳光小区**** : enough to know the area, not the door. */
export function maskAddress(address: string | null): string {
  if (!address) return '';
  const keep = Math.min(4, Math.max(1, Math.floor(address.length / 3)));
  return `${address.slice(0, keep)}****`;
}

/** A resident ID-card number: 17 digits and a check digit or X (18), or the old 15 digits. */
const ID_CARD = /(?<![\dA-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
/** A mainland mobile number, with an optional +86 and separators between digits. */
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;
/** A landline with its area code: 010-12345678, 0755 1234567, (021)12345678. */
const LANDLINE = /(?<!\d)\(?0\d{2,3}\)?[\s-]?\d{7,8}(?!\d)/g;
/** Numbers that name a door: 3栋, 2单元, 501室, 12号楼, 5楼, 8号, 3-2-501, Room 501. */
const DOOR_NUMBER = /(?<![月\d零一二两三四五六七八九十百])(?:\d+|[零一二两三四五六七八九十百]+)(?=\s*(?:栋|幢|号楼|号院|单元|室|楼|层|号|弄|巷))/g;
/** The room number written right after a building or unit (3栋501, 2单元1202). */
const ROOM_AFTER = /(?<=(?:栋|幢|号楼|单元|楼)\s*-?\s*)\d{2,5}/g;
const DASHED_DOOR = /(?<![\d-])\d{1,4}-\d{1,4}-\d{1,5}(?![\d-])/g;
const ENGLISH_DOOR = /\b(room|rm|building|bldg|unit|apt|apartment|flat|floor|no\.?|#)\s*(\d+[A-Za-z]?)/gi;

function stars(digits: string): string {
  return '*'.repeat(Math.max(1, Math.min(digits.length, 4)));
}

/**
 * `text` with phone numbers kept to their first 3 and last 4 digits, ID-card numbers to their
 * first 3 and last 4 characters, and the numbers of an address's building, unit and room starred,
 * so staff read what happened without the details that let a stranger call or visit.
 */
export function maskPersonalText(text: string): string {
  return text
    .replace(ID_CARD, (id) => `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`)
    .replace(MOBILE, (phone) => maskPhone(phone.replace(/\D/g, '').replace(/^86(?=1)/, '')))
    .replace(LANDLINE, (phone) => {
      const digits = phone.replace(/\D/g, '');
      return `${digits.slice(0, 3)}****${digits.slice(-2)}`;
    })
    .replace(DASHED_DOOR, (door) => door.replace(/\d+/g, stars))
    .replace(ROOM_AFTER, stars)
    .replace(DOOR_NUMBER, stars)
    .replace(ENGLISH_DOOR, (_all, word: string, number: string) => `${word} ${stars(number)}`);
}
