/**
 * Issue #15 must 1 inside flows: asking for a person at any customer step of a booking or a
 * complaint hands over at once (no "drop the draft?" question): the customer is told when someone
 * answers and what became of the draft, and the post shows the draft, masked, so the person can
 * finish it. The outside tester's exact messages (acc REPORT F1) and natural variants; words that
 * only mention 人 or 人工 (an address, 人工费多少, a name) stay answers. Monday 2026-11-30 10:00 in
 * Shanghai (the desk is open).
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/en.ts';
import { zh } from '../../../src/i18n/zh.ts';
import { customer } from './transcript.ts';

const NOW = '2026-11-30T10:00:00+08:00';
const HANDED = '正在为您转接人工客服';
const LEFT_BOOKING = zh.handoverLeftBooking;
const NOT_HANDED = { not: [HANDED, zh.dropBooking, '热线 400'] };

function post(c: ReturnType<typeof customer>): string {
  const row = c.store.records.outbox.find((m) => m.kind === 'handover-post');
  expect(row, 'a handover post').toBeDefined();
  return row?.message.text ?? '';
}

/** A glass-cleaning booking up to the address step, as the tester started it. */
const TO_ADDRESS = [['后天下午两点擦玻璃', ['12月2日（周三）14:00', zh.askAddress]]] as const;

describe('asking for a person inside a booking', () => {
  it.each([
    ['能不能找个真人跟我说'],
    ['算了 还是给我转个人工吧 我有些特殊要求'],
    ['转人工'],
    ['我要找人工客服'],
  ])('at the address step, the tester\'s "%s" hands over with the draft kept for the person', async (said) => {
    const c = customer({ now: NOW });
    await c.talk([...TO_ADDRESS, [said, [HANDED, '预计 5 分钟内', LEFT_BOOKING, '结束人工服务'], { not: [zh.dropBooking, zh.keepBooking, '这个问题我在这里回答不了', '地址好像不完整'] }]]);
    expect(c.store.records.handovers).toMatchObject([{ reason: 'asked', status: 'waiting' }]);
    expect(c.store.records.bookings).toEqual([]);
    expect(post(c)).toContain('原因：客户要求人工服务');
    expect(post(c)).toContain('未提交的预约草稿：服务 玻璃清洁；时间 12月2日（周三）14:00；地址 未填；联系人 未填；电话 未填；频次 未填');
    // With a person now: the bot says nothing.
    await c.talk([['阳光小区3栋2单元501，窗户比较多', []]]);
  });

  it('at the summary, the post shows every field, the address and phone masked', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ...TO_ADDRESS,
      ['阳光小区3栋2单元501', zh.askName],
      ['张先生', '张先生，请留下手机号码'],
      ['13912345678', zh.askFrequency],
      ['单次', zh.summaryTitle],
      ['麻烦转一下人工', [HANDED, LEFT_BOOKING]],
    ]);
    const text = post(c);
    expect(text).toContain('服务 玻璃清洁；时间 12月2日（周三）14:00；地址 阳光小区****；联系人 张先生；电话 139****5678；频次 单次');
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('3栋2单元501');
  });

  it.each([
    ['time', [['我要约个日常保洁', '请问希望什么时间上门']], '麻烦帮我转人工'],

    ['name', [...TO_ADDRESS, ['阳光小区3栋2单元501', zh.askName]], '帮我叫个客服'],
    ['name, asked with 的话', [...TO_ADDRESS, ['阳光小区3栋2单元501', zh.askName]], '可以的话我想找人工客服'],
    ['phone', [...TO_ADDRESS, ['阳光小区3栋2单元501', zh.askName], ['王女士', '王女士，请留下手机号码']], '找个真人'],
    ['frequency', [...TO_ADDRESS, ['阳光小区3栋2单元501', zh.askName], ['王女士', '王女士'], ['13700001111', zh.askFrequency]], '我想跟真人说话'],
  ] as const)('at the %s step', async (_step, before, said) => {
    const c = customer({ now: NOW });
    await c.talk([...before, [said, [HANDED, LEFT_BOOKING], { not: [zh.dropBooking] }]]);
    expect(c.store.records.handovers).toMatchObject([{ reason: 'asked' }]);
    expect(post(c)).toContain('未提交的预约草稿');
  });

  it.each([['can I talk to a real person'], ['talk to a human']])('in English at the time step, "%s" is answered in English', async (said) => {
    const c = customer({ now: NOW });
    await c.talk([['我要约个日常保洁', '请问希望什么时间上门'], [said, ['passing you to a person', en.handoverLeftBooking]]]);
    expect(post(c)).toContain('未提交的预约草稿：服务 日常保洁；时间 未填');
  });

  it('a pending "drop the draft?" question does not stand in the way', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ...TO_ADDRESS,
      ['我要投诉', zh.dropBooking],
      ['还是给我转人工吧', [HANDED, LEFT_BOOKING]],
    ]);
    expect(c.store.records.handovers).toHaveLength(1);
  });
});

describe('asking for a person inside a complaint', () => {
  it('hands over, the complaint said to be unrecorded', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['阿姨把我家花瓶打碎了！', '这件事有没有给您造成经济损失？'],
      ['我要找人工客服', [HANDED, zh.handoverLeftComplaint]],
    ]);
    expect(c.store.records.complaints).toEqual([]);
    expect(c.store.records.handovers).toMatchObject([{ reason: 'asked' }]);
    expect(post(c)).toContain('· 阿姨把我家花瓶打碎了！\n· 我要找人工客服');
  });
});

describe('words that mention 人 or 人工 without asking for a person', () => {
  it('an address, 人工费, and a name are answers, not a handover', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ...TO_ADDRESS,
      ['人工费多少', '玻璃清洁', NOT_HANDED],
      ['人工湖小区3栋501', zh.askName, NOT_HANDED],
      ['张真人', '请问称呼您张真人先生还是张真人女士？', NOT_HANDED],
    ]);
    expect(c.store.records.handovers).toEqual([]);
  });
});

describe('slots from the UX list', () => {
  it.each([
    ['姓张，电话13912345678', ['请问称呼您张先生还是张女士？'], '先生'],
    ['张先生 13912345678', [zh.askFrequency], undefined],
  ] as const)('"%s" fills the name and the phone', async (said, gist, salutation) => {
    const c = customer({ now: NOW });
    await c.talk([...TO_ADDRESS, ['阳光小区3栋2单元501', zh.askName], [said, [...gist], { not: ['请留下手机号码'] }]]);
    if (salutation) await c.talk([[salutation, zh.askFrequency]]);
    await c.talk([['单次', ['张先生', '13912345678']]]);
  });

  it.each([['地址是 朝阳区阳光小区3栋2单元501'], ['地址：朝阳区阳光小区3栋2单元501'], ['我家在朝阳区阳光小区3栋2单元501'], ['我住在朝阳区阳光小区3栋2单元501'], ['住址 朝阳区阳光小区3栋2单元501']])(
    '"%s" is stored without its lead-in',
    async (said) => {
      const c = customer({ now: NOW });
      await c.talk([...TO_ADDRESS, [said, zh.askName], ['张先生 13912345678', zh.askFrequency], ['单次', zh.summaryTitle], ['确认', '预约成功']]);
      expect(c.store.records.bookings).toMatchObject([{ address: '朝阳区阳光小区3栋2单元501' }]);
    },
  );
});
