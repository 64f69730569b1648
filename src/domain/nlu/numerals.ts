/**
 * The one reader of numbers written in Chinese, used wherever the bot reads a number from text:
 * times (三点零五), counts (最近七天, 每周两次) and amounts (两千, 一万二).
 */

/** Chinese numeral characters below ten, plus 十: what short numbers (times, counts) are made of. */
export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十';

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CN_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Reads characters of a Chinese numeral below 10^8: 两千 2000, 三百五 350, 一万二 12000, 一千零五 1005, 十五 15.
 * A trailing digit right after a unit is one place lower (三百五 = 350, not 305).
 * Returns undefined for strings that are not a numeral (一二三, 三十百, 百).
 */
function parseNumeralCharacters(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let sectionUnit = 0; // the last unit inside the current 万 section, units must decrease
  let lastUnit = 0;
  let zeroGap = false; // a 零 since the last unit: 一千零五 is 1005
  let tenThousands = false;
  for (const ch of s) {
    const d = CN_DIGIT[ch];
    if (d !== undefined) {
      if (digit !== undefined) return undefined;
      if (d === 0) zeroGap = true;
      else digit = d;
      continue;
    }
    const u = CN_UNIT[ch];
    if (u !== undefined) {
      if (sectionUnit !== 0 && u >= sectionUnit) return undefined;
      const n = digit ?? (u === 10 ? 1 : undefined);
      if (n === undefined) return undefined;
      section += n * u;
      digit = undefined;
      sectionUnit = u;
      lastUnit = u;
      zeroGap = false;
      continue;
    }
    if (ch === '万') {
      const value = section + (digit ?? 0);
      if (tenThousands || value === 0) return undefined;
      total = value * 10000;
      tenThousands = true;
      section = 0;
      digit = undefined;
      sectionUnit = 0;
      lastUnit = 10000;
      zeroGap = false;
      continue;
    }
    return undefined;
  }
  if (digit !== undefined) section += !zeroGap && lastUnit >= 100 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

/**
 * Reads Arabic digits ("3", "2026") or a Chinese numeral below 10^8 ("十一", "二十三", "两", "零五",
 * "三百五" = 350, "一千零五" = 1005, "一万二" = 12000). Returns undefined for anything else
 * ("一二", "十十", "百", "").
 */
export function parseChineseNumeral(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  return s === '' ? undefined : parseNumeralCharacters(s);
}
