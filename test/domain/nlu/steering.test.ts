import { describe, expect, it } from 'vitest';
import { clauses, fieldCorrection, isExit, listReference, sideQuestion, slotShift } from '../../../src/domain/nlu/steering.ts';
import { looksLikeAddress } from '../../../src/domain/nlu/extract.ts';
import { parseWhen } from '../../../src/domain/nlu/datetime.ts';

describe('isExit', () => {
  it.each(['算了', '不约了', '先不弄了', '退出', '算了吧，谢谢', '嗯，算了', '先不约了。', '不用了谢谢', 'never mind', '以后再说吧'])('%j leaves', (text) => {
    expect(isExit(text)).toBe(true);
  });
  it.each(['算了，改到周五吧', '不约了明天的，约后天', '阳光小区3栋501', '是的', '', '😀', '不'])('%j does not', (text) => {
    expect(isExit(text)).toBe(false);
  });
});

describe('sideQuestion', () => {
  it.each<[string, boolean, ReturnType<typeof sideQuestion>]>([
    ['消杀包含什么内容', true, 'includes'],
    ['那擦玻璃呢？', true, 'service'],
    ['等一下，我想先问问擦玻璃多少钱', true, 'price'],
    ['价格', false, 'price'],
    ['你们几点上班？', false, 'hours'],
    ['周末上门吗', false, 'hours'],
    ['春节期间放假吗？', false, 'hours'],
    ['怎么取消', false, 'howCancel'],
    ['可以改时间吗？', false, 'howReschedule'],
    ['阳光小区3栋501', false, undefined],
    ['10点吧', false, undefined],
    ['有没有晚一点的', false, undefined],
    ['张先生', false, undefined],
    // The company's number, asked the ways customers ask it; not the customer's own, nor a complaint about it.
    ['客服电话多少', false, 'contact'],
    ['你们电话是多少？', false, 'contact'],
    ['请问你们公司电话', false, 'contact'],
    ['客服电话', false, 'contact'],
    ['联系方式', false, 'contact'],
    ['电话号码给一下', false, 'contact'],
    ['把你们电话发我', false, 'contact'],
    ['怎么联系你们', false, 'contact'],
    ["what's your phone number?", false, 'contact'],
    ['is there a hotline', false, 'contact'],
    ['电话13800138000', false, undefined],
    ['我的电话是13800138000', false, undefined],
    ['你们客服电话一直打不通', false, undefined],
    ['我的联系方式变了', false, undefined],
    ['预约号码是多少', false, undefined],
    ['你们打我电话就行', false, undefined],
  ])('%j -> %s', (text, namesService, kind) => {
    expect(sideQuestion(text, namesService)).toBe(kind);
  });
});

describe('slotShift', () => {
  it.each<[string, ReturnType<typeof slotShift>]>([
    ['有没有晚一点的', 'later'],
    ['晚点的呢', 'later'],
    ['早一点', 'earlier'],
    ['换一天', 'otherDay'],
    ['换个日子吧', 'otherDay'],
    ['anything later?', 'later'],
    ['10点', undefined],
  ])('%j -> %s', (text, shift) => {
    expect(slotShift(text)).toBe(shift);
  });
});

describe('fieldCorrection', () => {
  it.each<[string, ReturnType<typeof fieldCorrection>]>([
    ['地址写错了，改一下', { field: 'address' }],
    ['电话号码留错了', { field: 'phone' }],
    ['地址改成幸福小区5栋302', { field: 'address', value: '幸福小区5栋302' }],
    ['电话改成13912340000', { field: 'phone', value: '13912340000' }],
    ['称呼写错了', { field: 'name' }],
    ['时间改到周四', { field: 'time', value: '周四' }],
    ['阳光小区3栋501', undefined],
    ['换成周四', undefined],
  ])('%j -> %o', (text, correction) => {
    expect(fieldCorrection(text)).toStrictEqual(correction);
  });
});

describe('listReference', () => {
  it.each<[string, ReturnType<typeof listReference>]>([
    ['第一个', { kind: 'position', index: 0 }],
    ['第2个', { kind: 'position', index: 1 }],
    ['取消第一个', { kind: 'position', index: 0 }],
    ['最后那个', { kind: 'last' }],
    ['保洁那个', { kind: 'words', words: '保洁' }],
    ['明天那个', { kind: 'words', words: '明天' }],
    ['周五的那单', { kind: 'words', words: '周五' }],
    ['the second one', { kind: 'position', index: 1 }],
    ['明天上午9点保洁', undefined],
  ])('%j -> %o', (text, reference) => {
    expect(listReference(text)).toStrictEqual(reference);
  });
});

describe('clauses', () => {
  it('splits at punctuation and drops the joining words', () => {
    expect(clauses('明天下午三点来做日常保洁，顺便问下擦玻璃怎么收费？')).toEqual(['明天下午三点来做日常保洁，', '擦玻璃怎么收费？']);
    expect(clauses('阳光小区3栋501')).toEqual(['阳光小区3栋501']);
  });
});

describe('looksLikeAddress', () => {
  it.each(['阳光小区3栋501', '人民路88号2单元301', '幸福家园5-302', 'Room 501, 12 Baker Street', '北京市朝阳区建国路88号'])('%j is an address', (text) => {
    expect(looksLikeAddress(text)).toBe(true);
  });
  it.each(['等一下，我想先问问擦玻璃多少钱', '明天吧', '你们几点上班？', '张先生', '好的'])('%j is not', (text) => {
    expect(looksLikeAddress(text)).toBe(false);
  });
});

describe('festivals (parseWhen)', () => {
  const now = new Date('2026-11-23T10:00:00+08:00');
  it.each([
    ['元旦', '2027-01-01'],
    ['春节', '2027-02-06'],
    ['过年那几天', '2027-02-06'],
    ['除夕', '2027-02-05'],
    ['劳动节', '2027-05-01'],
    ['国庆节', '2027-10-01'],
    ['中秋', '2027-09-15'],
    ["New Year's Day", '2027-01-01'],
  ])('%j -> %s', (text, date) => {
    expect(parseWhen(text, { now, zone: 'Asia/Shanghai' })?.date).toBe(date);
  });
  it('a festival with a time', () => {
    expect(parseWhen('元旦上午10点', { now, zone: 'Asia/Shanghai' })).toEqual({ date: '2027-01-01', time: '10:00' });
  });
});
