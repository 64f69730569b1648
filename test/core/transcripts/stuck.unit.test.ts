/**
 * Issue #15 must 1 inside flows: a customer the bot fails to understand twice in a row at a step
 * (a time it cannot read, an answer that fits no option) gets a person, and is told what became of
 * the unfinished booking or complaint; a side question answered in between is no miss. Written the
 * way customers type. Monday 2026-11-23 10:00 in Shanghai (the desk is open).
 */
import { describe, expect, it } from 'vitest';
import { zh } from '../../../src/i18n/zh.ts';
import { customer } from './transcript.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const HANDED = '正在为您转接人工客服';

/** The handover post the front desk got, and what the customer's conversation holds now. */
function post(c: ReturnType<typeof customer>) {
  const row = c.store.records.outbox.find((m) => m.kind === 'handover-post');
  expect(row, 'a handover post').toBeDefined();
  return row?.message.text ?? '';
}

describe('stuck twice inside a flow', () => {
  it('at the booking time step: a person, the draft said to be unsaved, the post shows what they wrote', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天想找人打扫下卫生', '11月24日（周二）可预约的时间'],
      ['看情况吧', zh.timeNotUnderstood],
      ['都行 你们定', [HANDED, '您刚才填写的预约还没有提交，也没有下单；已经填好的内容已一并转给客服，客服可以帮您接着约。', '结束人工服务']],
      // With a person now: the bot says nothing, the words go to the front desk.
      ['那就下午吧', []],
    ]);
    expect(c.replies).toEqual([]);
    expect(c.store.records.bookings).toEqual([]);
    expect(c.store.records.handovers).toMatchObject([{ reason: 'not_understood', status: 'waiting' }]);
    expect(post(c)).toContain('原因：机器人连续两次没能理解客户');
    expect(post(c)).toContain('· 看情况吧\n· 都行 你们定');
  });

  it('in a complaint: two answers that fit no option hand over, the complaint said to be unrecorded', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['阿姨把我家花瓶打碎了！', '这件事有没有给您造成经济损失？'],
      ['啥意思', [zh.notUnderstood, '这件事有没有给您造成经济损失？']],
      ['你们自己看着办吧', [HANDED, '您刚才说的投诉还没有提交，也没有记录，请把情况直接告诉客服。']],
    ]);
    expect(c.store.records.complaints).toEqual([]);
    expect(post(c)).toContain('· 阿姨把我家花瓶打碎了！\n· 啥意思\n· 你们自己看着办吧');
  });

  it('a side question answered in between starts the count again', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['我要约个日常保洁', '请问希望什么时间上门'],
      ['嗯嗯', zh.timeNotUnderstood],
      ['多少钱一个小时啊', ['【日常保洁】¥50/小时', '请问希望什么时间上门']],
      ['emmm', zh.timeNotUnderstood],
      ['明天下午3点', ['11月24日（周二）15:00', '服务地址']],
    ]);
    expect(c.store.records.handovers).toEqual([]);
  });

  it('in English, the same', async () => {
    const c = customer({ now: NOW });
    await c.send('I need a house cleaning tomorrow');
    expect(c.replies[0]?.text).toContain('Times available on Tue 11/24');
    await c.send('hmm whatever works');
    await c.send('idk you decide');
    expect(c.replies[0]?.text).toContain('I am passing you to a person');
    expect(c.replies[0]?.text).toContain('The booking you were filling in was not submitted and nothing was ordered');
  });
});
