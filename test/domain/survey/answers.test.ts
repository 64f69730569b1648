import { describe, expect, it } from 'vitest';
import { MAX_ANSWER, OVERALL_LABEL, QUALITY_LABEL, TIMELINESS_LABEL, parseIdentity, parseOverall, parseQuality, parseTimeliness, type Overall, type Quality, type Timeliness, readSurveyReply } from '../../../src/domain/survey/answers.ts';

const table = <T>(rows: Record<string, T | undefined>) => Object.entries(rows);

describe('survey answers (DOMAIN §3, seed 002 附表二)', () => {
  it('labels every value in both languages', () => {
    expect(OVERALL_LABEL).toEqual({
      satisfied: { zh: '满意', en: 'Satisfied' },
      average: { zh: '一般', en: 'Average' },
      dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
    });
    expect(QUALITY_LABEL).toEqual({
      satisfied: { zh: '满意', en: 'Satisfied' },
      basic: { zh: '基本满意', en: 'Mostly satisfied' },
      dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
    });
    expect(TIMELINESS_LABEL).toEqual({
      timely: { zh: '及时', en: 'On time' },
      average: { zh: '一般', en: 'Average' },
      late: { zh: '不及时', en: 'Late' },
    });
  });

  it('reads its own labels back', () => {
    for (const [value, label] of Object.entries(OVERALL_LABEL)) {
      expect(parseOverall(label.zh)).toBe(value);
      expect(parseOverall(label.en)).toBe(value);
    }
    for (const [value, label] of Object.entries(QUALITY_LABEL)) {
      expect(parseQuality(label.zh)).toBe(value);
      expect(parseQuality(label.en)).toBe(value);
    }
    for (const [value, label] of Object.entries(TIMELINESS_LABEL)) {
      expect(parseTimeliness(label.zh)).toBe(value);
      expect(parseTimeliness(label.en)).toBe(value);
    }
  });

  describe('parseOverall (满意 / 一般 / 不满意)', () => {
    it.each(
      table<Overall>({
        // satisfied
        满意: 'satisfied',
        很满意: 'satisfied',
        非常满意: 'satisfied',
        '挺满意的。': 'satisfied',
        挺好的: 'satisfied',
        非常好: 'satisfied',
        不错: 'satisfied',
        很不错: 'satisfied',
        还不错: 'satisfied',
        好: 'satisfied',
        '好的！': 'satisfied',
        阿姨很好: 'satisfied',
        '满意😊': 'satisfied',
        '满 意': 'satisfied',
        是的: 'satisfied',
        嗯: 'satisfied',
        satisfied: 'satisfied',
        Satisfied: 'satisfied',
        'very satisfied': 'satisfied',
        great: 'satisfied',
        'Great!': 'satisfied',
        good: 'satisfied',
        'pretty good': 'satisfied',
        yes: 'satisfied',
        // negations that mean satisfied
        没什么不满意: 'satisfied',
        没有不满意: 'satisfied',
        '没啥不满意的': 'satisfied',
        没问题: 'satisfied',
        没太大问题: 'satisfied',
        没得说: 'satisfied',
        挑不出毛病: 'satisfied',
        不差: 'satisfied',
        '不好意思，回复晚了，满意': 'satisfied',
        'not bad': 'satisfied',
        'no complaints': 'satisfied',
        "can't complain": 'satisfied',
        // average
        还行: 'average',
        '还行吧': 'average',
        一般: 'average',
        一般般: 'average',
        凑合: 'average',
        马马虎虎: 'average',
        还可以: 'average',
        还好: 'average',
        过得去: 'average',
        差不多: 'average',
        不算差: 'average',
        ok: 'average',
        OK: 'average',
        'Ｏｋ': 'average',
        'it was ok': 'average',
        'so-so': 'average',
        'so so': 'average',
        average: 'average',
        'not too bad': 'average',
        客户说整体还可以: 'average',
        // the hedge: 不是很满意 is average (documented choice)
        不是很满意: 'average',
        不是太满意: 'average',
        没有很满意: 'average',
        不是很好: 'average',
        没那么好: 'average',
        'not very satisfied': 'average',
        "I'm not really happy": 'average',
        // dissatisfied
        不满意: 'dissatisfied',
        很不满意: 'dissatisfied',
        非常不满意: 'dissatisfied',
        一点都不满意: 'dissatisfied',
        不太满意: 'dissatisfied',
        不怎么满意: 'dissatisfied',
        不太好: 'dissatisfied',
        不好: 'dissatisfied',
        不太行: 'dissatisfied',
        不行: 'dissatisfied',
        太差了: 'dissatisfied',
        很差: 'dissatisfied',
        差: 'dissatisfied',
        糟糕: 'dissatisfied',
        不怎么样: 'dissatisfied',
        不咋地: 'dissatisfied',
        有点问题: 'dissatisfied',
        我要投诉: 'dissatisfied',
        '还行，不太满意': 'dissatisfied',
        bad: 'dissatisfied',
        terrible: 'dissatisfied',
        unsatisfied: 'dissatisfied',
        dissatisfied: 'dissatisfied',
        'not satisfied': 'dissatisfied',
        'NOT SATISFIED': 'dissatisfied',
        'not good': 'dissatisfied',
        "wasn't good": 'dissatisfied',
        'not ok': 'dissatisfied',
        // not an answer
        '': undefined,
        '   ': undefined,
        '？？': undefined,
        不好说: undefined,
        满意吗: undefined,
        '你们是哪家公司': undefined,
        hello: undefined,
      }),
    )('%j -> %s', (text, expected) => {
      expect(parseOverall(text)).toBe(expected);
    });
  });

  describe('parseQuality (满意 / 基本满意 / 不满意)', () => {
    it.each(
      table<Quality>({
        满意: 'satisfied',
        很满意: 'satisfied',
        很好: 'satisfied',
        挺好: 'satisfied',
        不错: 'satisfied',
        干净: 'satisfied',
        很干净: 'satisfied',
        很专业: 'satisfied',
        没什么不满意: 'satisfied',
        不差: 'satisfied',
        good: 'satisfied',
        excellent: 'satisfied',
        基本满意: 'basic',
        基本上满意: 'basic',
        '基本满意吧': 'basic',
        还行: 'basic',
        一般: 'basic',
        还可以: 'basic',
        还好: 'basic',
        凑合: 'basic',
        马马虎虎: 'basic',
        差不多: 'basic',
        不是很满意: 'basic',
        不是很干净: 'basic',
        'mostly satisfied': 'basic',
        ok: 'basic',
        average: 'basic',
        不满意: 'dissatisfied',
        基本不满意: 'dissatisfied',
        不太满意: 'dissatisfied',
        差: 'dissatisfied',
        很差: 'dissatisfied',
        不好: 'dissatisfied',
        不干净: 'dissatisfied',
        不太干净: 'dissatisfied',
        没擦干净: 'dissatisfied',
        太马虎: 'dissatisfied',
        敷衍: 'dissatisfied',
        poor: 'dissatisfied',
        dirty: 'dissatisfied',
        'not clean': 'dissatisfied',
        '': undefined,
        '🙂': undefined,
      }),
    )('%j -> %s', (text, expected) => {
      expect(parseQuality(text)).toBe(expected);
    });
  });

  describe('parseTimeliness (及时 / 一般 / 不及时)', () => {
    it.each(
      table<Timeliness>({
        及时: 'timely',
        很及时: 'timely',
        准时: 'timely',
        很准时: 'timely',
        按时: 'timely',
        准点: 'timely',
        提前到了: 'timely',
        很快: 'timely',
        没迟到: 'timely',
        没有迟到: 'timely',
        不晚: 'timely',
        'on time': 'timely',
        punctual: 'timely',
        'not late': 'timely',
        一般: 'average',
        还行: 'average',
        还可以: 'average',
        稍微晚了一点: 'average',
        稍微晚了点: 'average',
        有点晚: 'average',
        晚了几分钟: 'average',
        迟到了一会儿: 'average',
        不是很准时: 'average',
        'a bit late': 'average',
        ok: 'average',
        average: 'average',
        不及时: 'late',
        不太准时: 'late',
        不准时: 'late',
        没有按时来: 'late',
        迟到: 'late',
        '阿姨迟到了一个小时': 'late',
        晚了: 'late',
        来晚了: 'late',
        很晚: 'late',
        太慢了: 'late',
        late: 'late',
        'very late': 'late',
        'not on time': 'late',
        '': undefined,
        '你好': undefined,
      }),
    )('%j -> %s', (text, expected) => {
      expect(parseTimeliness(text)).toBe(expected);
    });
  });

  describe('parseIdentity ("请问您是张先生吗？")', () => {
    it.each(
      table<'yes' | 'no'>({
        是: 'yes',
        是的: 'yes',
        '是的。': 'yes',
        是我: 'yes',
        是啊: 'yes',
        对: 'yes',
        '对，是我': 'yes',
        我就是: 'yes',
        我是: 'yes',
        我是张先生: 'yes',
        嗯: 'yes',
        嗯嗯: 'yes',
        没错: 'yes',
        好的: 'yes',
        '是，什么事？': 'yes',
        yes: 'yes',
        'Yes, speaking': 'yes',
        "it's me": 'yes',
        不是: 'no',
        不是我: 'no',
        '不是，你打错了': 'no',
        打错了: 'no',
        你打错了: 'no',
        '对不起，你打错了': 'no',
        你找错人了: 'no',
        没有这个人: 'no',
        不对: 'no',
        'wrong number': 'no',
        'Wrong number!': 'no',
        no: 'no',
        'No.': 'no',
        nope: 'no',
        // unclear: who is asking, someone else answering, a question back
        是谁: undefined,
        '你是谁？': undefined,
        哪位: undefined,
        '是吗？': undefined,
        我是他老婆: undefined,
        我是张先生的爱人: undefined,
        对不起: undefined,
        喂: undefined,
        '': undefined,
      }),
    )('%j -> %s', (text, expected) => {
      expect(parseIdentity(text)).toBe(expected);
    });
  });

  describe('hostile input', () => {
    const parsers = [parseOverall, parseQuality, parseTimeliness, parseIdentity] as const;
    const hostile = [
      '',
      '\u0000\u0001\u0007\u001b[31m',
      '\u200b\u200d\u202e满意',
      '😀😡👍🏽👨‍👩‍👧',
      '\ud800',
      '\udfff满意\ud800',
      'ﷺ'.repeat(MAX_ANSWER),
      '满意'.repeat(50_000),
      '不'.repeat(100_000),
      `${' '.repeat(99_999)}好`,
      'a'.repeat(100_000),
      'not '.repeat(25_000),
      '😀'.repeat(50_000),
      '\u0000'.repeat(100_000),
    ];

    it('never throws and reads nothing into a reply longer than MAX_ANSWER', () => {
      for (const parse of parsers) {
        for (const text of hostile) expect(() => parse(text)).not.toThrow();
        for (const text of hostile.filter((t) => t.length > MAX_ANSWER)) expect(parse(text)).toBeUndefined();
        expect(() => parse(undefined as unknown as string)).not.toThrow();
        expect(parse(null as unknown as string)).toBeUndefined();
      }
    });

    it('reads through control characters, zero-width characters and emoji', () => {
      expect(parseOverall('\u200b满意\u0000')).toBe('satisfied');
      expect(parseOverall('👍满意👍')).toBe('satisfied');
      expect(parseOverall('不\u0000满意')).toBe('dissatisfied');
      expect(parseTimeliness('\u202e准时')).toBe('timely');
      expect(parseIdentity('是的\u0007')).toBe('yes');
    });

    it('stays fast on long input of the worst shapes', () => {
      const worst = [
        ...hostile,
        '不是很'.repeat(66),
        'not very '.repeat(22),
        '没有'.repeat(100),
        '稍微有点'.repeat(50),
        'a '.repeat(100),
        '晚了一'.repeat(66),
      ];
      const started = performance.now();
      for (let round = 0; round < 20; round += 1) for (const parse of parsers) for (const text of worst) parse(text);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  });
});

describe('readSurveyReply: every field one reply answers', () => {
  it('挺满意的，阿姨很仔细: overall and quality satisfied, the reason kept', () => {
    expect(readSurveyReply('挺满意的，阿姨很仔细')).toEqual({ overall: 'satisfied', quality: 'satisfied', reason: '阿姨很仔细' });
  });

  it('一般吧，来晚了半小时，地也没拖干净: average, late, dissatisfied, with the reason', () => {
    expect(readSurveyReply('一般吧，来晚了半小时，地也没拖干净')).toEqual({
      overall: 'average',
      timeliness: 'late',
      quality: 'dissatisfied',
      reason: '来晚了半小时，地也没拖干净',
    });
  });

  it('a bare rating answers one field and gives no reason', () => {
    expect(readSurveyReply('挺满意的')).toEqual({ overall: 'satisfied' });
    expect(readSurveyReply('一般吧')).toEqual({ overall: 'average' });
    expect(readSurveyReply('满意，谢谢')).toEqual({ overall: 'satisfied' });
  });

  it('准时的 answers timeliness only', () => {
    expect(readSurveyReply('准时的').timeliness).toBe('timely');
    expect(readSurveyReply('准时的').reason).toBeUndefined();
  });
});
