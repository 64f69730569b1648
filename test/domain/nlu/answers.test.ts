/** Answers in words to the notice questions: resolved? and completed? */
import { describe, expect, it } from 'vitest';
import { parseCompleted, parseResolved } from '../../../src/domain/nlu/answers.ts';

describe('parseResolved (问题解决了吗？)', () => {
  it.each([
    ['已解决', 'yes'],
    ['解决了，谢谢', 'yes'],
    ['好了好了', 'yes'],
    ['搞定了', 'yes'],
    ['没问题了', 'yes'],
    ['还没解决', 'no'],
    ['没有解决', 'no'],
    ['还是不行', 'no'],
    ['还有问题，阿姨说的赔偿一直没给', 'no'],
    ['没有完全解决', 'no'],
    ['not solved yet', 'no'],
    ['it is fixed', 'yes'],
  ] as const)('%s -> %s', (text, expected) => {
    expect(parseResolved(text)).toBe(expected);
  });

  it('takes a bare yes or no only when asked to', () => {
    expect(parseResolved('是的')).toBeUndefined();
    expect(parseResolved('是的', { bare: true })).toBe('yes');
    expect(parseResolved('没有', { bare: true })).toBe('no');
    expect(parseResolved('嗯', { bare: true })).toBe('yes');
  });

  it('a bare answer is only yes or no: 取消预约 or 好的谢谢你们周末上班吗 is not one', () => {
    expect(parseResolved('好的谢谢', { bare: true })).toBe('yes');
    expect(parseResolved('取消预约', { bare: true })).toBeUndefined();
    expect(parseCompleted('取消预约', { bare: true })).toBeUndefined();
    expect(parseCompleted('不要了', { bare: true })).toBeUndefined();
    expect(parseCompleted('你们周末上班吗', { bare: true })).toBeUndefined();
  });

  it('reads no question back, nor a message about something else', () => {
    expect(parseResolved('解决了吗？')).toBeUndefined();
    expect(parseResolved('明天上午9点保洁')).toBeUndefined();
    expect(parseResolved('明天上午9点保洁', { bare: true })).toBeUndefined();
    expect(parseResolved('擦玻璃多少钱', { bare: true })).toBeUndefined();
  });
});

describe('parseCompleted (请您确认服务已完成)', () => {
  it.each([
    ['是的，已经做完了', 'yes'],
    ['做完了', 'yes'],
    ['确认', 'yes'],
    ['已经完成了', 'yes'],
    ['还没做完', 'no'],
    ['没有完成', 'no'],
    ['人根本没来', 'no'],
    ['只做了一半', 'no'],
    ['not finished', 'no'],
    ['done', 'yes'],
  ] as const)('%s -> %s', (text, expected) => {
    expect(parseCompleted(text)).toBe(expected);
  });

  it('takes a bare yes or no only when asked to', () => {
    expect(parseCompleted('对')).toBeUndefined();
    expect(parseCompleted('对', { bare: true })).toBe('yes');
    expect(parseCompleted('还没有', { bare: true })).toBe('no');
  });
});
