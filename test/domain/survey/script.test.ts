import { DateTime, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { closingLine, followUpQuestion, holidayOn, openingLine, satisfactionQuestion, type ScriptContext } from '../../../src/domain/survey/script.ts';

const zone = 'Asia/Shanghai';
const at = (iso: string, z = zone) => DateTime.fromISO(iso, { zone: z }).toJSDate();
const ctx: ScriptContext = {
  agentName: '小安',
  surname: '张',
  salutation: '先生',
  serviceDate: at('2026-11-24T09:00'),
  companyName: '安家家政服务有限公司',
  serviceName: '日常保洁',
  zone,
};
const en: ScriptContext = { ...ctx, companyName: 'Anjia Housekeeping Services', serviceName: 'Daily cleaning' };

// The script of DOMAIN §3, word for word.
const SATISFIED_CLOSING = '感谢您的答复，您如果需要什么帮助，可随时跟我们取得联系，祝您生活愉快，再见！';
const UNSATISFIED_CLOSING = '非常谢谢您的反馈，这一点我们的确做得不够，我们很快就会有改进的，希望您监督，祝您生活愉快，再见！';

describe('the survey script (DOMAIN §3 Script)', () => {
  it('1. opens with the agent name and the customer surname + salutation', () => {
    expect(openingLine(ctx)).toBe('您好，我是小安，请问您是张先生吗？打扰您了。');
    expect(openingLine(ctx, 'zh')).toBe('您好，我是小安，请问您是张先生吗？打扰您了。');
    expect(openingLine({ ...ctx, surname: '王', salutation: '女士' })).toBe('您好，我是小安，请问您是王女士吗？打扰您了。');
    expect(openingLine({ ...ctx, surname: '欧阳', salutation: '女士', agentName: '小美' })).toBe('您好，我是小美，请问您是欧阳女士吗？打扰您了。');
    expect(openingLine({ ...ctx, salutation: null })).toBe('您好，我是小安，请问您是张吗？打扰您了。');
    expect(openingLine(ctx)).not.toMatch(/[「」×]/);
  });

  it('2. asks about the service by date, company and service', () => {
    expect(satisfactionQuestion(ctx)).toBe('感谢您在11月24日接受了我们安家家政服务有限公司的日常保洁服务项目，请问您对日常保洁服务项目满意吗？');
    expect(satisfactionQuestion({ ...ctx, serviceName: '空调清洗', serviceDate: at('2027-01-05T15:00') })).toBe(
      '感谢您在1月5日接受了我们安家家政服务有限公司的空调清洗服务项目，请问您对空调清洗服务项目满意吗？',
    );
  });

  it('2. writes the date in the company zone, not UTC', () => {
    // 2026-11-24 07:30 in Shanghai is still 23 November in UTC.
    const early = { ...ctx, serviceDate: new Date('2026-11-23T23:30:00Z') };
    expect(satisfactionQuestion(early)).toContain('感谢您在11月24日接受了');
    expect(satisfactionQuestion({ ...early, zone: 'UTC' })).toContain('感谢您在11月23日接受了');
  });

  it('3. follows up by the answer', () => {
    expect(followUpQuestion('satisfied')).toBe('您对我们的服务有什么建议吗？');
    expect(followUpQuestion('average')).toBe('能否告诉我您对哪方面不满意吗？');
    expect(followUpQuestion('dissatisfied')).toBe('能否告诉我您对哪方面不满意吗？');
  });

  it('4. closes by the answer', () => {
    expect(closingLine('satisfied')).toBe(SATISFIED_CLOSING);
    expect(closingLine('average')).toBe(UNSATISFIED_CLOSING);
    expect(closingLine('dissatisfied')).toBe(UNSATISFIED_CLOSING);
    expect(closingLine('satisfied', undefined, 'zh')).toBe(SATISFIED_CLOSING);
  });

  it('4. on a holiday wishes 节日快乐 instead of 生活愉快, nothing else changes', () => {
    expect(closingLine('satisfied', '春节')).toBe('感谢您的答复，您如果需要什么帮助，可随时跟我们取得联系，祝您节日快乐，再见！');
    expect(closingLine('average', '元旦')).toBe('非常谢谢您的反馈，这一点我们的确做得不够，我们很快就会有改进的，希望您监督，祝您节日快乐，再见！');
    expect(closingLine('dissatisfied', '元旦')).toBe(UNSATISFIED_CLOSING.replace('生活愉快', '节日快乐'));
    expect(closingLine('satisfied', '')).toBe(SATISFIED_CLOSING);
  });

  describe('in English', () => {
    it('reads the same script', () => {
      expect(openingLine(en, 'en')).toBe('Hello, this is 小安. Am I speaking with Mr 张? Sorry to bother you.');
      expect(openingLine({ ...en, surname: 'Zhang' }, 'en')).toBe('Hello, this is 小安. Am I speaking with Mr Zhang? Sorry to bother you.');
      expect(openingLine({ ...en, surname: 'Wang', salutation: '女士' }, 'en')).toBe('Hello, this is 小安. Am I speaking with Ms Wang? Sorry to bother you.');
      expect(openingLine({ ...en, surname: 'Zhang', salutation: null }, 'en')).toBe('Hello, this is 小安. Am I speaking with Zhang? Sorry to bother you.');
      expect(satisfactionQuestion(en, 'en')).toBe(
        'Thank you for using the Daily cleaning service of Anjia Housekeeping Services on November 24. Are you satisfied with the Daily cleaning service?',
      );
      expect(followUpQuestion('satisfied', 'en')).toBe('Do you have any suggestions for our service?');
      expect(followUpQuestion('average', 'en')).toBe('Could you tell me what you were not satisfied with?');
      expect(followUpQuestion('dissatisfied', 'en')).toBe('Could you tell me what you were not satisfied with?');
      expect(closingLine('satisfied', undefined, 'en')).toBe(
        'Thank you for your answers. If you need any help, you can contact us at any time. Have a nice day, goodbye!',
      );
      expect(closingLine('dissatisfied', undefined, 'en')).toBe(
        'Thank you very much for your feedback. We really did fall short here, and we will improve soon; we hope you will keep an eye on us. Have a nice day, goodbye!',
      );
      expect(closingLine('average', 'Spring Festival', 'en')).toBe(
        'Thank you very much for your feedback. We really did fall short here, and we will improve soon; we hope you will keep an eye on us. Happy holidays, goodbye!',
      );
      expect(closingLine('satisfied', '春节', 'en')).toBe(
        'Thank you for your answers. If you need any help, you can contact us at any time. Happy holidays, goodbye!',
      );
    });

    it('writes English month names whatever the process locale', () => {
      const before = Settings.defaultLocale;
      Settings.defaultLocale = 'zh-CN';
      try {
        expect(satisfactionQuestion({ ...en, serviceDate: at('2027-02-06T10:00') }, 'en')).toContain(' on February 6.');
      } finally {
        Settings.defaultLocale = before;
      }
    });
  });

  describe('holidayOn', () => {
    const holidays = [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
    ];

    it.each([
      ['2027-01-01T00:00', '元旦'],
      ['2027-01-01T23:59', '元旦'],
      ['2026-12-31T23:59', undefined],
      ['2027-01-02T00:00', undefined],
      ['2027-02-07T10:00', '春节'],
      ['2027-02-08T10:00', undefined],
    ])('%s in Shanghai -> %s', (local, name) => {
      expect(holidayOn(at(local), holidays, zone)).toBe(name);
    });

    it('reads the day in the company zone', () => {
      // 2026-12-31 16:30 UTC is already New Year's Day in Shanghai, but not in New York.
      const instant = new Date('2026-12-31T16:30:00Z');
      expect(holidayOn(instant, holidays, zone)).toBe('元旦');
      expect(holidayOn(instant, holidays, 'America/New_York')).toBeUndefined();
      expect(holidayOn(instant, [], zone)).toBeUndefined();
    });

    it('feeds the closing line', () => {
      expect(closingLine('satisfied', holidayOn(at('2027-02-06T10:00'), holidays, zone))).toContain('祝您节日快乐，再见！');
      expect(closingLine('satisfied', holidayOn(at('2027-03-06T10:00'), holidays, zone))).toContain('祝您生活愉快，再见！');
    });
  });
});
