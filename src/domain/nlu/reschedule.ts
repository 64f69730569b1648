/**
 * A reschedule that names the old and the new time ("明天的改到后天下午三点", "move Friday's cleaning
 * to Monday 3pm"): the words before the move marker identify the booking, the words after it are
 * the new time (issue #12).
 */
import { normalizeText } from './extract.ts';

/** 改到 / 换到 / 挪到 / 推到 / 改成 ... */
const MARKER_ZH = /(?:改|换|挪|调|推|移|延|放)(?:到|成|为|去)/;
/** "move/change/reschedule/push ... to": the words between name the old booking. */
const MARKER_EN = /\b(?:move|change|reschedule|push|shift|switch)\b(.*?)\b(?:to|until|till)\b/;

/** The old part and the new part of a move, when the text has a marker with words on both sides. */
export function splitMove(text: string): { from: string; to: string } | undefined {
  const s = normalizeText(text);
  let from: string;
  let to: string;
  const zh = MARKER_ZH.exec(s);
  if (zh) {
    from = s.slice(0, zh.index);
    to = s.slice(zh.index + zh[0].length);
  } else {
    const en = MARKER_EN.exec(s);
    if (!en) return undefined;
    from = `${s.slice(0, en.index)} ${en[1] ?? ''}`;
    to = s.slice(en.index + en[0].length);
  }
  if (from.trim() === '' || to.trim() === '') return undefined;
  return { from, to };
}
