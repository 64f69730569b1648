import { describe, it, expect } from 'vitest';
import { normalizeText, parseFrequency, parseName, parsePhone, parseSalutation, parseYesNo, type Frequency } from '../../../src/domain/nlu/extract.ts';
import { parseChineseNumeral } from '../../../src/domain/nlu/numerals.ts';

describe('parsePhone', () => {
  it.each<[string, string | undefined]>([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['+86-139-1234-5678', '13912345678'],
    ['１３８００１３８０００', '13800138000'], // full-width digits
    ['电话：13912345678，谢谢', '13912345678'],
    ['我的手机是 (199) 1234-5678', '19912345678'],
    ['12345678901', undefined], // 12x is not a mobile prefix
    ['10086', undefined],
    ['1380013800', undefined], // 10 digits
    ['138001380001', undefined], // 12 digits
    ['021-12345678', undefined], // landline
    ['', undefined],
    ['no phone', undefined],
  ])('%j -> %s', (text, phone) => {
    expect(parsePhone(text)).toBe(phone);
  });
});

describe('parseSalutation', () => {
  it.each<[string, '先生' | '女士' | undefined]>([
    ['先生', '先生'],
    ['男', '先生'],
    ['我是男的', '先生'],
    ['张先生', '先生'],
    ['女士', '女士'],
    ['小姐', '女士'],
    ['太太', '女士'],
    ['女', '女士'],
    ['王女士', '女士'],
    ['Mr', '先生'],
    ['Mr.', '先生'],
    ['mr smith', '先生'],
    ['sir', '先生'],
    ['male', '先生'],
    ['Ms', '女士'],
    ['Mrs', '女士'],
    ['Mrs.', '女士'],
    ['Miss', '女士'],
    ['madam', '女士'],
    ['female', '女士'], // not "male" inside it
    ['给我女儿约', undefined], // 女儿 is a daughter, not a salutation
    ['hello', undefined],
    ['', undefined],
  ])('%j -> %s', (text, salutation) => {
    expect(parseSalutation(text)).toBe(salutation);
  });
});

describe('parseName', () => {
  it.each<[string, string | undefined]>([
    ['我姓张', '张'],
    ['姓李', '李'],
    ['我姓欧阳', '欧阳'],
    ['张先生', '张'],
    ['王女士', '王'],
    ['李小姐', '李'],
    ['欧阳女士', '欧阳'],
    ['我是张先生', '张'],
    ['我是李小姐', '李'],
    ['张伟', '张伟'],
    ['张伟。', '张伟'],
    ['「张伟」', '张伟'],
    ['我叫张伟', '张伟'],
    ['我叫张伟，电话13800138000', '张伟'],
    ['叫我小王就行', '小王'],
    ['张', '张'],
    ['my name is Li Wei', 'Li Wei'],
    ['My name is Li Wei.', 'Li Wei'],
    ["I'm Anna", 'Anna'],
    ['Mr Smith', 'Smith'],
    ['Mr. Smith', 'Smith'],
    ['Li Wei', 'Li Wei'],
    ['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrst'], // at most 20 characters
    ['', undefined],
    ['   ', undefined],
    ['好的', undefined],
    ['是的', undefined],
    ['您好', undefined],
    ['明天', undefined],
    ['ok', undefined],
    ['hello', undefined],
    ['13800138000', undefined],
    ['😀', undefined],
    ['？？？', undefined],
  ])('%j -> %s', (text, name) => {
    expect(parseName(text)).toBe(name);
  });
});

describe('parseYesNo', () => {
  const yes = ['是', '是的', '对', '对的', '好', '好的', '好的，谢谢', '确认', '确定', '可以', '行', '行吧', '没问题', '嗯', '嗯嗯',
    'yes', 'Yes please', 'y', 'Y', 'ok', 'OK!', 'okay', 'confirm', 'sure', 'no problem', '👍 好的'];
  const no = ['不', '不是', '否', '不用', '不用了', '不要', '算了', '算了吧', '不行', '嗯，不用了', 'no', 'No.', 'n', 'nope', 'no thanks'];
  const neither = ['', '是不是', '可以吗', '可以吗？', '好吗', '不确定', '不知道', 'maybe', 'not sure', '明天', '随便', 'hmm', '😀', 'ok?'];
  it.each(yes)('%j -> yes', (text) => expect(parseYesNo(text)).toBe('yes'));
  it.each(no)('%j -> no', (text) => expect(parseYesNo(text)).toBe('no'));
  it.each(neither)('%j -> undefined', (text) => expect(parseYesNo(text)).toBeUndefined());
});

describe('parseFrequency', () => {
  it.each<[string, Frequency | undefined]>([
    ['一次', { kind: 'once' }],
    ['单次', { kind: 'once' }],
    ['一次性', { kind: 'once' }],
    ['就这一次', { kind: 'once' }],
    ['once', { kind: 'once' }],
    ['Just once', { kind: 'once' }],
    ['one-off', { kind: 'once' }],
    ['每周一次', { kind: 'weekly', perWeek: 1 }],
    ['每周两次', { kind: 'weekly', perWeek: 2 }],
    ['一周2次', { kind: 'weekly', perWeek: 2 }],
    ['一周２次', { kind: 'weekly', perWeek: 2 }],
    ['每周二和周五', { kind: 'weekly', perWeek: 2 }], // two weekdays named
    ['每周一三五', { kind: 'weekly', perWeek: 3 }],
    ['每周一到周五', { kind: 'weekly', perWeek: 5 }],
    ['每周三', { kind: 'weekly', perWeek: 1 }], // every Wednesday
    ['每周三次', { kind: 'weekly', perWeek: 3 }], // three times a week
    ['每周', { kind: 'weekly', perWeek: 1 }],
    ['每星期三次', { kind: 'weekly', perWeek: 3 }],
    ['每个礼拜两次', { kind: 'weekly', perWeek: 2 }],
    ['每天', { kind: 'weekly', perWeek: 7 }],
    ['twice a week', { kind: 'weekly', perWeek: 2 }],
    ['3 times a week', { kind: 'weekly', perWeek: 3 }],
    ['once a week', { kind: 'weekly', perWeek: 1 }],
    ['weekly', { kind: 'weekly', perWeek: 1 }],
    ['every week', { kind: 'weekly', perWeek: 1 }],
    ['every Monday and Friday', { kind: 'weekly', perWeek: 2 }],
    ['每周8次', undefined], // more than 7 a week
    ['每两周一次', { kind: 'biweekly' }],
    ['隔周来一次', { kind: 'biweekly' }],
    ['每月一次', { kind: 'monthly' }],
    ['每个月来打扫一次', { kind: 'monthly' }],
    ['biweekly', { kind: 'biweekly' }],
    ['once a month', { kind: 'monthly' }],
    ['每三周一次', undefined], // cannot be expressed
    ['第一次用你们的服务', undefined],
    ['随便', undefined],
    ['', undefined],
  ])('%j -> %o', (text, frequency) => {
    expect(parseFrequency(text)).toStrictEqual(frequency);
  });
});

describe('helpers', () => {
  it.each<[string, number | undefined]>([
    ['3', 3], ['一', 1], ['两', 2], ['十', 10], ['十一', 11], ['二十', 20], ['二十三', 23], ['三十一', 31],
    ['零', 0], ['〇', 0], ['零五', 5], ['一二', undefined], ['十十', undefined], ['百', undefined], ['', undefined],
    ['三百五', 350], ['一千零五', 1005], ['两千', 2000], ['一万二', 12000], ['2026', 2026], ['三十百', undefined],
  ])('parseChineseNumeral(%j) -> %s', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });

  it('normalizeText folds full-width characters and case', () => {
    expect(normalizeText('１４：００ ＯＫ Didn’t')).toBe("14:00 ok didn't");
  });
});

describe('hostile input', () => {
  // Long runs between letters are the classic trigger of quadratic regex backtracking (/\s+$/);
  // these must simply finish within the test timeout.
  const hostile = [
    '', '\u0000', '😀'.repeat(1000), '<script>alert(1)</script>', "'; DROP TABLE bookings; --", '\uD800', '\uDC00好',
    'x'.repeat(100_000), '1'.repeat(100_000), '1 '.repeat(50_000), '86'.repeat(50_000), '每周'.repeat(50_000),
    `a${' '.repeat(100_000)}b`, `a${'!'.repeat(100_000)}b`, `${'，'.repeat(100_000)}好`, '姓'.repeat(100_000),
    'my name is '.repeat(9_000), 'mr '.repeat(33_000), 'every monday and '.repeat(5_000), '😀'.repeat(50_000),
  ];
  it.each(hostile.map((text) => [`${text.slice(0, 20)}… (${text.length})`, text]))('no extractor throws on %s', (_label, text) => {
    expect(() => parsePhone(text)).not.toThrow();
    expect(() => parseSalutation(text)).not.toThrow();
    expect(() => parseName(text)).not.toThrow();
    expect(() => parseYesNo(text)).not.toThrow();
    expect(() => parseFrequency(text)).not.toThrow();
    const name = parseName(text);
    if (name !== undefined) expect([...name].length).toBeLessThanOrEqual(20);
  });
});
