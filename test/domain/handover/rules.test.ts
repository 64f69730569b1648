import { describe, expect, it } from 'vitest';
import { answerBy, DEFAULT_HANDOVER_POLICY, isIdle, mayClaim, nextLevel, soundsAngry } from '../../../src/domain/handover/rules.ts';

const desk = { start: '08:00', end: '20:00' };
const zone = 'Asia/Shanghai';
const policy = DEFAULT_HANDOVER_POLICY;

describe('answerBy', () => {
  it('inside desk hours: within the answer time', () => {
    expect(answerBy({ now: new Date('2026-11-23T19:59:00+08:00'), deskHours: desk, zone, policy })).toEqual({ open: true, by: new Date('2026-11-23T20:04:00+08:00') });
  });
  it('after closing: when the desk opens the next morning; before opening: this morning', () => {
    expect(answerBy({ now: new Date('2026-11-23T20:00:00+08:00'), deskHours: desk, zone, policy })).toEqual({ open: false, by: new Date('2026-11-24T08:00:00+08:00') });
    expect(answerBy({ now: new Date('2026-11-24T06:30:00+08:00'), deskHours: desk, zone, policy })).toEqual({ open: false, by: new Date('2026-11-24T08:00:00+08:00') });
  });
  it('in the company zone whatever the machine zone (01:30 UTC is 09:30 in Shanghai)', () => {
    expect(answerBy({ now: new Date('2026-11-23T01:30:00Z'), deskHours: desk, zone, policy }).open).toBe(true);
  });
});

describe('the ladder, idle end and first contact', () => {
  it('climbs as a 轻微 complaint does and stops at the top', () => {
    expect(nextLevel('contact')).toBe('department_head');
    expect(nextLevel('department_head')).toBe('general_manager');
    expect(nextLevel('general_manager')).toBeUndefined();
  });
  it('ends after 30 quiet minutes, not before', () => {
    const last = new Date('2026-11-23T10:00:00+08:00');
    expect(isIdle(last, new Date('2026-11-23T10:29:59+08:00'), policy)).toBe(false);
    expect(isIdle(last, new Date('2026-11-23T10:30:00+08:00'), policy)).toBe(true);
  });
  it('keeps the customer for their person until the first deadline', () => {
    const reservedUntil = new Date('2026-11-23T10:05:00+08:00');
    expect(mayClaim({ staffId: 2, ownerId: 1, reservedUntil, now: new Date('2026-11-23T10:04:00+08:00') })).toBe(false);
    expect(mayClaim({ staffId: 1, ownerId: 1, reservedUntil, now: new Date('2026-11-23T10:04:00+08:00') })).toBe(true);
    expect(mayClaim({ staffId: 2, ownerId: 1, reservedUntil, now: reservedUntil })).toBe(true);
    expect(mayClaim({ staffId: 2, ownerId: undefined, reservedUntil, now: new Date('2026-11-23T10:00:00+08:00') })).toBe(true);
  });
});

describe('soundsAngry', () => {
  it.each(['怎么还没人理我', '你们到底管不管！', '等了两天了还没处理', '再不处理我就打12315', '气死我了！！', 'why isn\'t anyone answering', 'still no reply???'])('%s', (text) => {
    expect(soundsAngry(text)).toBe(true);
  });
  it.each(['好的谢谢', '明天上午9点保洁', '请问我的投诉处理了吗？', 'thank you!'])('not: %s', (text) => {
    expect(soundsAngry(text)).toBe(false);
  });
});
