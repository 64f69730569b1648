/**
 * Issue #16, musts 2, 3 and 11, as transcripts: side questions answered inside any flow with its
 * question asked again, ways out that say what was not saved, starting something else asks
 * whether to drop the unfinished booking, references to what the bot listed, and holidays.
 * Monday 2026-11-23 10:00 in Shanghai.
 */
import { describe, expect, it } from 'vitest';
import { loadCompany } from '../../../src/config/company.ts';
import { customer } from './transcript.ts';
import { zh } from '../../../src/i18n/zh.ts';

const NOW = '2026-11-23T10:00:00+08:00';

describe('side questions inside a flow', () => {
  it('what is included, a follow-up about another service, opening hours, how to cancel: answered, then the same question', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['我想约个保洁', '希望什么时间上门'],
      ['消杀包含什么内容', ['室内消杀', '蚊、蝇、蟑螂', '希望什么时间上门']],
      ['那擦玻璃呢？', ['玻璃清洁', '¥6', '希望什么时间上门']],
      ['多少钱', ['日常保洁', '¥50', '希望什么时间上门']],
      ['你们几点上班？', ['08:00–20:00', '希望什么时间上门']],
      ['你们周末上门吗？', '11月28日（周六）可预约的时间'],
      ['明天下午三点', '服务地址'],
      ['如果临时有事怎么取消？', ['取消预约', '服务地址']],
      ['阳光小区3栋501，对了，消杀多少钱？', ['室内消杀', '¥200', '怎么称呼']],
    ]);
  });

  it('inside a complaint (after what happened), whose slots are kept and filled together', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['我要投诉', '发生了什么'],
      ['阿姨把花瓶打碎了', '经济损失'],
      ['你们上门服务时间是几点到几点？', ['08:00–20:00', '经济损失']],
      ['没有损失', '反映过吗'],
      ['第一次', '怎么称呼'],
      ['王女士 13800001234', '投诉已记录'],
    ]);
    expect(c.store.records.complaints[0]).toMatchObject({ customerName: '王', phone: '13800001234' });
  });

  it('多少钱 inside a booking is the price of the service being booked', async () => {
    const c = customer({ now: NOW });
    await c.talk([['我想约个空调清洗', '希望什么时间上门'], ['多少钱', ['【空调清洗】¥120/台', '希望什么时间上门'], { not: '日常保洁' }]]);
  });
});

describe('ways out', () => {
  it.each(['算了', '不约了', '先不弄了', '退出', '算了吧，谢谢', '算了吧，下次再约', '我不想约了'])('%s leaves a booking politely, saying nothing was saved', async (exit) => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['阳光小区3栋501', '怎么称呼'],
      [exit, '没有保存'],
      ['你好', '可以帮您'],
    ]);
    expect(c.store.records.bookings).toEqual([]);
  });

  it('算了 leaves a complaint, saying it was not submitted', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['我要投诉', '发生了什么'],
      ['阿姨把花瓶打碎了', '经济损失'],
      ['算了', '投诉没有提交'],
    ]);
    expect(c.store.records.complaints).toEqual([]);
  });

  it('starting something else asks whether to drop the unfinished booking', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['我要投诉', ['没有填完', '日常保洁', '11月24日（周二）09:00', '放弃这个预约']],
      ['不，继续吧', ['接着来', '服务地址']],
      ['我还想约个擦玻璃', ['没有填完', '放弃这个预约']],
      ['不用，继续', '服务地址'],
      ['改成擦玻璃吧', ['玻璃清洁', '服务地址']],
      ['我要投诉', '放弃'],
      ['放弃吧', '发生了什么'],
    ]);
  });
});

describe('references to what the bot listed', () => {
  async function withTwoBookings() {
    const c = customer({ now: NOW });
    for (const [request, address] of [['明天上午9点保洁', '阳光小区3栋501'], ['后天下午两点擦玻璃', '阳光小区3栋501']] as const) {
      await c.talk([
        [request, '服务地址'],
        [address, '称呼'],
        ['李先生', '手机号码'],
        ['13912345678', '一次性'],
        ['单次', '请核对'],
        ['确认预约', '预约成功'],
      ]);
    }
    return c;
  }

  it('保洁那个, 明天那个, 第一个 after 我的预约 pick from the list; nothing new is booked', async () => {
    const c = await withTwoBookings();
    await c.talk([
      ['我的预约', ['日常保洁', '玻璃清洁']],
      ['保洁那个', ['日常保洁', '11月24日（周二）09:00', '需要改约还是取消']],
      ['我的预约', '您的预约'],
      ['玻璃那个改到周五上午10点', ['从 11月25日（周三）14:00 改到 11月27日（周五）10:00']],
      ['确认', '已改到'],
      ['取消第一个', ['确定要取消', '日常保洁']],
      ['是的', '已取消'],
    ]);
    expect(c.store.records.bookings.map((b) => b.status)).toEqual(['cancelled', 'confirmed']);
  });

  it('最后那个 and a time alone when rescheduling keep the booking\'s own day', async () => {
    const c = await withTwoBookings();
    await c.talk([
      ['改约', '请选择要改约的预约'],
      ['最后那个', ['玻璃清洁', '原定 11月25日（周三）14:00']],
      ['下午四点吧', '改到 11月25日（周三）16:00'],
      ['早一点', ['早一点', '11月25日（周三）15:00']],
      ['[15:00]', '改到 11月25日（周三）15:00'],
      ['好的', '已改到'],
    ]);
  });

  it('改到周五 keeps the booking\'s time; 往后推一点 moves from it; 第一个 picks an offered slot', async () => {
    const c = await withTwoBookings();
    await c.talk([
      ['保洁那个改到周五', '从 11月24日（周二）09:00 改到 11月27日（周五）09:00'],
      ['不要了', '预约保持不变'],
      ['明天那个改到后天下午三点', '从 11月24日（周二）09:00 改到 11月25日（周三）15:00'],
      ['算了，不改了', '预约保持不变'],
      ['把保洁往后推一点', ['晚一点', '11月24日（周二）10:00']],
      ['第一个', '改到 11月24日（周二）10:00'],
      ['确认', '已改到 11月24日（周二）10:00'],
    ]);
  });

  it('第2个 and 明天那个 at the pick step of a cancellation', async () => {
    const c = await withTwoBookings();
    await c.talk([
      ['取消预约', '请选择要取消的预约'],
      ['明天那个', ['确定要取消', '日常保洁']],
      ['算了', '预约保持不变'],
      ['取消预约', '请选择要取消的预约'],
      ['第2个', ['确定要取消', '玻璃清洁']],
    ]);
  });
});

describe('holidays and festivals', () => {
  it('元旦 is January 1st, a company holiday: said, and the nearest working day offered', async () => {
    const c = customer({ now: NOW });
    await c.talk([['元旦上午10点想约保洁', ['2027年1月1日', '元旦', '公司放假', '最近的工作日是2027年1月2日']]]);
  });

  it('春节 falls in the company file\'s holidays; 中秋 and 国庆 are understood as dates', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['春节那天能来做保洁吗', ['2027年2月6日', '春节', '公司放假', '最近的工作日是2027年2月5日']],
      ['算了', '没有保存'],
      ['国庆节擦玻璃', '2027年10月1日'],
      ['算了', '没有保存'],
      ['中秋节上午保洁', '2027年9月15日'],
    ]);
  });

  it("a holiday of the company file by its own name, and a date that falls on one", async () => {
    const company = { ...loadCompany(), holidays: [{ date: '2026-12-10', name: '公司年会' }] };
    const c = customer({ now: NOW, company });
    await c.talk([
      ['公司年会那天来做保洁', ['12月10日', '公司年会', '公司放假', '最近的工作日是12月11日']],
      ['12月10日下午3点', '公司年会'],
      ['[15:00]', '服务地址'],
    ]);
  });
});

describe("the company's number and hours, asked the ways customers ask", () => {
  const HOTLINE = '400-800-1234';
  const WRONG = { not: ['价目表', '转接人工', '致歉', zh.notUnderstood] };

  it('on the menu: the hotline, not a price list (多少), a handover (客服) or a complaint; the hours, not the menu', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['客服电话多少', HOTLINE, WRONG],
      ['有没有客服电话', HOTLINE, WRONG],
      ['你们电话号码给一下', HOTLINE, WRONG],
      ['怎么联系你们', HOTLINE, WRONG],
      ['你们几点上班？', ['08:00–20:00', HOTLINE], WRONG],
      ["what's your phone number?", HOTLINE, WRONG],
    ]);
    expect(c.store.records.handovers).toHaveLength(0);
    expect(c.store.records.complaints).toHaveLength(0);
  });

  it('inside a booking: answered, then the same question again; the draft is kept', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['我想约个保洁', '希望什么时间上门'],
      ['有没有客服电话？', [HOTLINE, '希望什么时间上门'], WRONG],
      ['明天下午三点', '服务地址'],
      ['你们电话多少', [HOTLINE, '服务地址'], WRONG],
      ['阳光小区3栋501', '怎么称呼'],
    ]);
    expect(c.store.records.handovers).toHaveLength(0);
  });

  it('a complaint about the number is a complaint, and asking for a person still hands over', async () => {
    const c = customer({ now: NOW });
    await c.talk([['你们客服电话一直打不通，太差劲了', '致歉', { not: HOTLINE }]]);
    const d = customer({ now: NOW });
    await d.talk([['转人工', '转接人工']]);
  });
});
