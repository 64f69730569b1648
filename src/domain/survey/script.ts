/**
 * The callback survey's script, word for word (DOMAIN §3 Script, seed 000 回访规范), with the ××
 * filled from the booking and the company file, and its English rendering.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import type { Overall } from './answers.ts';

/** The ×× of the script: who calls, whom, about which service on which day. */
export interface ScriptContext {
  /** The company's agent name (您好，我是××). */
  agentName: string;
  surname: string;
  salutation: '先生' | '女士' | null;
  /** The day of the service, written M月D日 in `zone`. */
  serviceDate: Date;
  companyName: string;
  serviceName: string;
  zone: string;
  /** The holiday's name when today is a configured holiday (the closing wishes 节日快乐). */
  holiday?: string;
}

/** Which language the script is read in: the standard's Chinese, or its English rendering. */
type ScriptLocale = 'zh' | 'en';

/** 张先生 / 张 (no salutation known); Mr Zhang / Ms Zhang / Zhang. */
function who(c: ScriptContext, locale: ScriptLocale): string {
  if (locale === 'en') return c.salutation ? `${c.salutation === '女士' ? 'Ms' : 'Mr'} ${c.surname}` : c.surname;
  return `${c.surname}${c.salutation ?? ''}`;
}

/**
 * Script step 1 (开始): 您好，我是××，请问您是××先生/女士吗？打扰您了。 With no salutation known,
 * the surname alone: 请问您是张吗？ English: "Hello, this is 小安. Am I speaking with Mr Zhang?
 * Sorry to bother you."
 */
export function openingLine(c: ScriptContext, locale: ScriptLocale = 'zh'): string {
  return locale === 'en'
    ? `Hello, this is ${c.agentName}. Am I speaking with ${who(c, locale)}? Sorry to bother you.`
    : `您好，我是${c.agentName}，请问您是${who(c, locale)}吗？打扰您了。`;
}

/**
 * Script step 2 (交流): 感谢您在××接受了我们××的××服务项目，请问您对××服务项目满意吗？ with the
 * service date written M月D日 (English: "November 24") in the company zone.
 */
export function satisfactionQuestion(c: ScriptContext, locale: ScriptLocale = 'zh'): string {
  const d = DateTime.fromJSDate(c.serviceDate, { zone: tz(c.zone) });
  return locale === 'en'
    ? `Thank you for using the ${c.serviceName} service of ${c.companyName} on ${d.setLocale('en-US').toFormat('LLLL d')}. Are you satisfied with the ${c.serviceName} service?`
    : `感谢您在${d.month}月${d.day}日接受了我们${c.companyName}的${c.serviceName}服务项目，请问您对${c.serviceName}服务项目满意吗？`;
}

/** Script step 3: 【满意】您对我们的服务有什么建议吗？ 【一般/不满意】能否告诉我您对哪方面不满意吗？ */
export function followUpQuestion(overall: Overall, locale: ScriptLocale = 'zh'): string {
  if (locale === 'en') {
    return overall === 'satisfied' ? 'Do you have any suggestions for our service?' : 'Could you tell me what you were not satisfied with?';
  }
  return overall === 'satisfied' ? '您对我们的服务有什么建议吗？' : '能否告诉我您对哪方面不满意吗？';
}

/**
 * Script step 4 (结束), 【满意】 or 【一般/不满意】. On a configured holiday the wish changes and
 * nothing else: 祝您生活愉快，再见！ becomes 祝您节日快乐，再见！ (English: "Have a nice day, goodbye!"
 * becomes "Happy holidays, goodbye!"). The holiday's name is not spoken.
 */
export function closingLine(overall: Overall, holiday?: string, locale: ScriptLocale = 'zh'): string {
  const festive = holiday !== undefined && holiday !== '';
  if (locale === 'en') {
    const wish = festive ? 'Happy holidays' : 'Have a nice day';
    return overall === 'satisfied'
      ? `Thank you for your answers. If you need any help, you can contact us at any time. ${wish}, goodbye!`
      : `Thank you very much for your feedback. We really did fall short here, and we will improve soon; we hope you will keep an eye on us. ${wish}, goodbye!`;
  }
  const wish = festive ? '节日快乐' : '生活愉快';
  return overall === 'satisfied'
    ? `感谢您的答复，您如果需要什么帮助，可随时跟我们取得联系，祝您${wish}，再见！`
    : `非常谢谢您的反馈，这一点我们的确做得不够，我们很快就会有改进的，希望您监督，祝您${wish}，再见！`;
}

/** The name of the configured holiday (company file, YYYY-MM-DD) that `date` falls on in `zone`, if any. */
export function holidayOn(date: Date, holidays: readonly { date: string; name: string }[], zone: string): string | undefined {
  const day = DateTime.fromJSDate(date, { zone: tz(zone) }).toISODate();
  return day === null ? undefined : holidays.find((h) => h.date === day)?.name;
}
