import { describe, expect, it } from 'vitest';
import { CATEGORIES, classifyComplaint, mentionedAmount, repetition, type Category } from '../../../src/domain/complaints/classify.ts';

describe('classifyComplaint (DOMAIN §2)', () => {
  it.each<[string, Category]>([
    ['上次说好的没来', 'no_show'],
    ['阿姨没来', 'no_show'],
    ['又被放鸽子了', 'no_show'],
    ['The cleaner didn\u2019t show up', 'no_show'],
    ["she didn't show up today", 'no_show'],
    ['迟到了一个小时', 'late'],
    ['阿姨来晚了', 'late'],
    ['She was 2 hours late', 'late'],
    ['打扫得不干净', 'quality'],
    ['厨房没擦干净', 'quality'],
    ['干活很敷衍', 'quality'],
    ['阿姨没来得及擦窗户', 'quality'],
    ['阿姨把花瓶打碎了', 'damage'],
    ['把电视弄坏了', 'damage'],
    ['划伤地板', 'damage'],
    ['She broke my vase', 'damage'],
    ['东西丢了', 'loss'],
    ['少了一块手表', 'loss'],
    ['家里的首饰被偷', 'loss'],
    ['my watch is missing', 'loss'],
    ['态度很差', 'attitude'],
    ['阿姨骂人', 'attitude'],
    ['说话不礼貌', 'attitude'],
    ['干活的时候一直玩手机', 'attitude'],
    ['The cleaner was rude', 'attitude'],
    ['多收钱', 'price'],
    ['你们乱收费', 'price'],
    ['价格不对', 'price'],
    ['I was overcharged', 'price'],
    ['厨房漏水了', 'safety'],
    ['差点着火', 'safety'],
    ['孩子受伤了', 'safety'],
    ['药剂味道太大孩子过敏', 'safety'],
    ['你好', 'other'],
    ['I want to talk to someone', 'other'],
    ['', 'other'],
    // the more serious matter wins
    ['阿姨迟到了还把花瓶打碎了', 'damage'],
    ['打扫不干净，态度还很差', 'quality'],
    ['没来，态度也不好', 'no_show'],
    // words that only look like cues
    ['please translate this', 'other'],
  ])('%j -> %s', (text, category) => {
    expect(classifyComplaint(text)).toBe(category);
  });
});

describe('mentionedAmount', () => {
  it.each<[string, number | undefined]>([
    ['花瓶值两千块', 2000],
    ['损失约1.5万', 15000],
    ['赔500元', 500],
    ['about 300 yuan', 300],
    ['¥80', 80],
    ['￥80', 80],
    ['三百五', 350],
    ['一万二', 12000],
    ['损失一万二千五', 12500],
    ['一千零五元', 1005],
    ['2k', 2000],
    ['赔我2K吧', 2000],
    ['两千多块', 2000],
    ['价值2000左右的花瓶', 2000],
    ['2000块左右', 2000],
    ['十五块钱', 15],
    ['花了800', 800],
    ['1,200元', 1200],
    ['RMB 600', 600],
    ['it was worth 450', 450],
    ['上次多收了50元，这次花瓶值两千', 2000],
    // not money
    ['少了一块手表', undefined],
    ['迟到了一个小时', undefined],
    ['第三次了', undefined],
    ['三百平米的房子', undefined],
    ['千万别再派她来', undefined],
    ['万一再丢东西怎么办', undefined],
    ['电话13800138000', undefined],
    ['明天10:00来', undefined],
    ['2kg的洗衣粉', undefined],
    ['300 dollars', undefined],
    ['十分生气', undefined],
    ['', undefined],
  ])('%j -> %s', (text, amount) => {
    expect(mentionedAmount(text)).toBe(amount);
  });
});

describe('repetition', () => {
  it.each<[string, { repeated: boolean; times?: number }]>([
    ['阿姨又没来', { repeated: true }],
    ['再次投诉', { repeated: true }],
    ['这是第三次了', { repeated: true, times: 3 }],
    ['第3次投诉', { repeated: true, times: 3 }],
    ['说了好几次', { repeated: true }],
    ['多次反映没人管', { repeated: true }],
    ['一直没人处理', { repeated: true }],
    ['已经说了两次了', { repeated: true, times: 2 }],
    ['不是第一次了', { repeated: true }],
    ['这是第一次', { repeated: false, times: 1 }],
    ['She was late again', { repeated: true }],
    ['this is the third time', { repeated: true, times: 3 }],
    ['I complained 4 times', { repeated: true, times: 4 }],
    ['打扫得又脏又乱', { repeated: false }],
    ['阿姨迟到了', { repeated: false }],
    ['', { repeated: false }],
  ])('%j -> %o', (text, expected) => {
    expect(repetition(text)).toEqual(expected);
  });
});

describe('hostile input never throws and stays fast', () => {
  const long = (unit: string) => unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
  const hostile: string[] = [
    '',
    ' ',
    '\u0000\u0001\u0007\u001b[31m\u007f',
    '😀😡💥🏠🧹'.repeat(5),
    '\ud800\udfff\ud800', // lone surrogates
    long('a'),
    long('1'),
    long('1,'),
    long('1,000'),
    long('一'),
    long('一万'),
    long('又脏'),
    long('第'),
    long('¥'),
    long(' '),
    long('1.1.1.'),
    long('didn\'t '),
    long('😡'),
    long('\u0000'),
    long('两千块'),
    long('第三次'),
  ];

  it.each(hostile.map((text, i) => [i, text] as const))('input #%i', (_, text) => {
    const started = performance.now();
    expect(CATEGORIES).toContain(classifyComplaint(text));
    const amount = mentionedAmount(text);
    expect(amount === undefined || Number.isFinite(amount)).toBe(true);
    expect(typeof repetition(text).repeated).toBe('boolean');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('tolerates a non-string at run time', () => {
    const bad = null as unknown as string;
    expect(classifyComplaint(bad)).toBe('other');
    expect(mentionedAmount(bad)).toBeUndefined();
    expect(repetition(bad)).toEqual({ repeated: false });
  });
});
