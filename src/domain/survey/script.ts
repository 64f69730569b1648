/**
 * The callback survey's script, word for word (DOMAIN §3 Script, seed 000 回访规范), with the ××
 * filled from the booking and the company file, and its English rendering.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import type { Overall } from './answers.ts';

export interface ScriptContext {
  agentName: string;
  surname: string;
  salutation: '先生' | '女士' | null;
  serviceDate: Date;
  companyName: string;
  serviceName: string;
  zone: string;
  /** The holiday's name when today is a configured holiday (the closing wishes 节日快乐). */
  holiday?: string;
}

type Locale = 'zh' | 'en';

function who(c: ScriptContext, locale: Locale): string {
  if (locale === 'en') return c.salutation ? `${c.salutation === '女士' ? 'Ms' : 'Mr'} ${c.surname}` : c.surname;
  return `${c.surname}${c.salutation ?? ''}`;
}

/** 1. 开始：您好，我是××，请问您是××先生/女士吗？打扰您了。 */
export function openingLine(c: ScriptContext, locale: Locale = 'zh'): string {
  return locale === 'en'
    ? `Hello, this is ${c.agentName}. Am I speaking with ${who(c, locale)}? Sorry to bother you.`
    : `您好，我是${c.agentName}，请问您是${who(c, locale)}吗？打扰您了。`;
}

/** 2. 交流：感谢您在××接受了我们××的××服务项目，请问您对××服务项目满意吗？ */
export function satisfactionQuestion(c: ScriptContext, locale: Locale = 'zh'): string {
  const d = DateTime.fromJSDate(c.serviceDate, { zone: tz(c.zone) });
  return locale === 'en'
    ? `Thank you for choosing ${c.companyName}'s ${c.serviceName} service on ${d.toFormat('LLL d')}. Are you satisfied with the ${c.serviceName} service?`
    : `感谢您在${d.month}月${d.day}日接受了我们${c.companyName}的${c.serviceName}服务项目，请问您对${c.serviceName}服务项目满意吗？`;
}

/** 3. 【满意】您对我们的服务有什么建议吗？ 【一般/不满意】能否告诉我您对哪方面不满意吗？ */
export function followUpQuestion(overall: Overall, locale: Locale = 'zh'): string {
  if (locale === 'en') return overall === 'satisfied' ? 'Do you have any suggestions for our service?' : 'Could you tell me what you were not satisfied with?';
  return overall === 'satisfied' ? '您对我们的服务有什么建议吗？' : '能否告诉我您对哪方面不满意吗？';
}

/**
 * 4. 结束. On a configured holiday the wish 祝您生活愉快 becomes 祝您节日快乐 (the standard's holiday
 * variant), the rest word for word.
 */
export function closingLine(overall: Overall, holiday?: string, locale: Locale = 'zh'): string {
  if (locale === 'en') {
    const wish = holiday ? 'happy holidays' : 'have a nice day';
    return overall === 'satisfied'
      ? `Thank you for your answers. If you need any help, please contact us at any time. We wish you ${wish}, goodbye!`.replace('We wish you have a nice day', 'Have a nice day')
      : `Thank you very much for your feedback. We really fell short here and will improve soon; please keep holding us to it. ${holiday ? 'Happy holidays' : 'Have a nice day'}, goodbye!`;
  }
  const wish = holiday ? '节日快乐' : '生活愉快';
  return overall === 'satisfied'
    ? `感谢您的答复，您如果需要什么帮助，可随时跟我们取得联系，祝您${wish}，再见！`
    : `非常谢谢您的反馈，这一点我们的确做得不够，我们很快就会有改进的，希望您监督，祝您${wish}，再见！`;
}

/** The configured holiday on `date` in the company zone, if any. */
export function holidayOn(date: Date, holidays: readonly { date: string; name: string }[], zone: string): string | undefined {
  const day = DateTime.fromJSDate(date, { zone: tz(zone) }).toISODate();
  return holidays.find((h) => h.date === day)?.name;
}
