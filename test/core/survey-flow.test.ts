import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { SurveySweeper } from '../../src/scheduler/survey-sweeper.ts';
import { SurveyRepository } from '../../src/store/surveys.ts';
import { createHarness, type Chat, type Harness } from '../support/harness.ts';
import { transcript } from '../support/transcript.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
});
afterEach(async () => {
  await h.close();
});

function sweeper() {
  const s = loadSettings({});
  return new SurveySweeper({ store: new SurveyRepository(h.db), company: h.company, complaints: s.complaints, policy: s.survey, clock: h.clock, log: silentLogger, m: messages('zh') });
}

/** A booking whose visit the front desk marks done; the customer confirms it (the survey waits for that). */
async function bookAndComplete(user = 'zhang', completeAt = '2026-11-24T12:00:00+08:00', confirm = true): Promise<{ customer: Chat; desk: Chat; number: string }> {
  const customer = h.chat(user);
  await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
  const number = /JZ\d{10}/.exec(customer.text)![0];
  h.clock.set(completeAt);
  const desk = h.room('front-desk', 'desk', '前台小李');
  await desk.say('/join front-desk');
  await desk.say(`/done ${number}`);
  if (confirm) await customer.say('是的，已经做完了');
  return { customer, desk, number };
}

const outbox = async (chatId: string) =>
  (await h.db.outbox.findMany({ where: { chatId }, orderBy: { id: 'asc' } })).map((r) => ({ ...r, message: decodePayload(r.payload) }));
const survey = () => h.db.survey.findFirstOrThrow();
const local = (d: Date | null | undefined) => (d ? DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm') : null);

describe('marking a visit done', () => {
  it('staff mark it, the customer is asked to confirm, the survey is scheduled outside quiet hours', async () => {
    const { customer, desk, number } = await bookAndComplete('zhang', '2026-11-24T10:00:00+08:00');
    // 10:00 + 2 h = 12:00 is rest time (12:00-14:00): the survey goes out at 14:00.
    expect(desk.text).toContain(`已标记预约 ${number} 第1次服务完成，回访将于11月24日（周二）14:00发出`);
    const s = await survey();
    expect(local(s.dueAt)).toBe('2026-11-24 14:00');
    expect((await h.db.booking.findFirstOrThrow()).status).toBe('completed');
    const [confirm] = await outbox('zhang');
    expect(confirm?.message.text).toContain('服务人员已标记完成，请您确认');
    await customer.press(confirm!.message.buttons![0]![0]!.action);
    expect(customer.text).toContain('感谢您的确认');
    expect((await survey()).confirmedAt).not.toBeNull();
  });

  it('refuses non-staff and lists bookings to complete as buttons', async () => {
    const customer = h.chat('zhang');
    await customer.say('/done JZ2611240001');
    expect(customer.text).toContain('只有公司员工可以操作');
    await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
    h.clock.set('2026-11-24T12:00:00+08:00');
    const site = h.room('front-desk', 'site', '王师傅');
    await site.say('/join on-site');
    await site.say('/done');
    expect(site.text).toContain('请选择已完成的服务');
    await site.tap('JZ');
    expect(site.text).toContain('第1次服务完成');
    await site.say('/done');
    expect(site.text).toContain('目前没有待标记完成的预约');
  });
});

describe('the survey conversation (DOMAIN §3 script)', () => {
  it('goes word for word from the opening to the closing, recording every answer with its time', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    expect(await sweeper().sweep()).toMatchObject({ sent: 1 });
    const opening = (await outbox('zhang')).at(-1)!;
    expect(opening.message.text).toBe('您好，我是小安，请问您是张先生吗？打扰您了。');
    await customer.press(opening.message.buttons![0]![0]!.action); // 是我
    expect(customer.text).toBe('感谢您在11月24日接受了我们安家家政服务有限公司的日常保洁服务项目，请问您对日常保洁服务项目满意吗？');
    expect(customer.buttons.map((b) => b.label)).toEqual(['满意', '一般', '不满意']);
    await customer.tap('满意');
    expect(customer.buttons.map((b) => b.label)).toEqual(['满意', '基本满意', '不满意']);
    await customer.tap('基本满意');
    expect(customer.buttons.map((b) => b.label)).toEqual(['及时', '一般', '不及时']);
    await customer.tap('及时');
    expect(customer.text).toBe('您对我们的服务有什么建议吗？');
    await customer.say('希望能多带一块抹布');
    expect(customer.text).toBe('感谢您的答复，您如果需要什么帮助，可随时跟我们取得联系，祝您生活愉快，再见！');
    const s = await survey();
    expect(s).toMatchObject({ status: 'answered', identityOk: true, overall: 'satisfied', quality: 'basic', timeliness: 'timely', comment: '希望能多带一块抹布', answeredBy: 'customer' });
    for (const at of [s.overallAt, s.qualityAt, s.timelinessAt, s.commentAt, s.answeredAt]) expect(at).not.toBeNull();
  });

  it('understands free text, and turns 不满意 with a reason into a graded, escalated complaint', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await customer.say('是的');
    await customer.say('太差了');
    await customer.say('还行');
    await customer.say('来晚了');
    expect(customer.text).toBe('能否告诉我您对哪方面不满意吗？');
    await customer.say('阿姨迟到了一个小时，厨房也没擦干净');
    expect(customer.text).toContain('非常谢谢您的反馈，这一点我们的确做得不够');
    expect(customer.text).toMatch(/您反映的问题已转交负责人处理（投诉编号 TS\d{10}）/);
    const s = await survey();
    expect(s).toMatchObject({ overall: 'dissatisfied', quality: 'basic', timeliness: 'late' });
    const complaint = await h.db.complaint.findFirstOrThrow();
    expect(complaint).toMatchObject({ number: s.complaintNumber, content: '阿姨迟到了一个小时，厨房也没擦干净', customerName: '张', grade: 'important' });
    expect((await outbox('heads')).some((p) => p.message.text.includes(complaint.number))).toBe(true);
  });

  it('stops and hands over when it is not that person', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await customer.say('不是，你打错了');
    expect(customer.text).toBe('非常抱歉打扰您了，祝您生活愉快！');
    expect(await survey()).toMatchObject({ status: 'declined', identityOk: false });
    expect((await outbox('front-desk')).some((p) => p.message.text.includes('接听人表示不是本人'))).toBe(true);
  });

  it('answers a question in the middle and asks the survey question again; never blocks a booking', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await customer.say('是我');
    await customer.say('空调清洗多少钱');
    expect(customer.text).toContain('【空调清洗】¥120/台');
    expect(customer.text).toContain('请问您对日常保洁服务项目满意吗？');
    await customer.say('满意');
    expect(customer.text).toContain('服务质量您觉得怎么样');
    await customer.say('后天上午10点擦玻璃');
    expect(customer.text).toContain('服务地址');
  });
});

describe('reminder and phone callback', () => {
  it('reminds once after 24 h, hands an unfinished survey to the front desk, who record the answers', async () => {
    const { desk } = await bookAndComplete('zhang', '2026-11-24T12:00:00+08:00');
    const run = sweeper();
    h.clock.set('2026-11-24T14:00:00+08:00');
    expect(await run.sweep()).toMatchObject({ sent: 1 });
    h.clock.set('2026-11-25T14:00:00+08:00');
    expect(await run.sweep()).toMatchObject({ reminded: 1 });
    expect((await outbox('zhang')).at(-1)?.message.text).toBe('（提醒）您好，我是小安，请问您是张先生吗？打扰您了。');
    h.clock.set('2026-11-26T12:00:00+08:00');
    expect(await run.sweep()).toMatchObject({ phone: 1 });
    const task = (await outbox('front-desk')).at(-1)!;
    expect(task.message.text).toContain('【电话回访 预约');
    expect(task.message.text).toContain('138****8000');
    await desk.press(task.message.buttons![0]![0]!.action);
    // In the room the number stays masked; the full number only in a private chat.
    expect(desk.text).toContain('请致电张先生 138****8000（完整号码请私聊机器人发送 /call ');
    expect(desk.text).not.toContain('13800138000');
    await desk.tap('一般');
    await desk.tap('满意');
    await desk.tap('及时');
    await desk.say('客户说整体还可以');
    const bookingNumber = (await h.db.booking.findFirstOrThrow()).number;
    await desk.say(`/call ${bookingNumber}`);
    expect(desk.text).toContain('请在与机器人的私聊中发送');
    const deskPrivate = h.chat('desk');
    await deskPrivate.say(`/call ${bookingNumber}`);
    expect(deskPrivate.text).toBe('张先生：13800138000');
    const stranger = h.chat('stranger');
    await stranger.say(`/call ${bookingNumber}`);
    expect(stranger.text).not.toContain('13800138000');
    const s = await survey();
    expect(s).toMatchObject({ status: 'answered', overall: 'average', answeredBy: expect.stringMatching(/^staff:\d+$/) });
    // Phone task handed over 48 h after completion: inside the 72 h window.
    expect(s.phoneAt!.getTime() - s.completedAt.getTime()).toBeLessThanOrEqual(72 * 3_600_000);
  });
});

describe('the survey in the customer’s words, after the confirmed visit', () => {
  it('waits for the confirmation; 是的，已经做完了 lets it start', async () => {
    const { customer } = await bookAndComplete('zhang', '2026-11-24T12:00:00+08:00', false);
    h.clock.set('2026-11-24T14:00:00+08:00');
    expect(await sweeper().sweep()).toMatchObject({ sent: 0, waiting: 1 });
    expect((await outbox('zhang')).some((r) => r.kind === 'survey')).toBe(false);
    await transcript(customer, [['是的，已经做完了', '感谢您的确认']]);
    expect(await sweeper().sweep()).toMatchObject({ sent: 1 });
    expect((await outbox('zhang')).at(-1)?.message.text).toContain('请问您是张先生吗');
  });

  it('without an answer it goes out after the wait the company file sets, and the completion check closes', async () => {
    expect(h.company.surveyStart).toEqual({ confirmWaitHours: 24, unconfirmed: 'survey' });
    const { customer } = await bookAndComplete('zhang', '2026-11-24T12:00:00+08:00', false);
    h.clock.set('2026-11-24T14:00:00+08:00');
    expect(await sweeper().sweep()).toMatchObject({ sent: 0, waiting: 1 });
    h.clock.set('2026-11-25T13:00:00+08:00'); // 24 h later falls in the 12:00-14:00 rest
    expect(await sweeper().sweep()).toMatchObject({ sent: 0 });
    h.clock.set('2026-11-25T14:00:00+08:00');
    expect(await sweeper().sweep()).toMatchObject({ sent: 1 });
    // One question open at a time: 是的 answers the survey's opening, not the completion check.
    await transcript(customer, [['是的', '请问您对日常保洁服务项目满意吗？']]);
    expect((await survey()).confirmedAt).toBeNull();
  });

  it('挺满意的，阿姨很仔细 answers satisfaction, quality and the reason: only timeliness is asked', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await transcript(customer, [
      ['是我', '请问您对日常保洁服务项目满意吗？'],
      ['挺满意的，阿姨很仔细', '服务人员上门是否及时？'],
      ['挺准时的', '感谢您的答复'],
    ]);
    expect(customer.text).not.toContain('建议');
    expect(await survey()).toMatchObject({ status: 'answered', overall: 'satisfied', quality: 'satisfied', timeliness: 'timely', comment: '阿姨很仔细' });
  });

  it('不满意，地没拖干净 early: the reason becomes the complaint once the last rating is given', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await transcript(customer, [
      ['是我', '满意吗？'],
      ['不满意，地没拖干净', '服务人员上门是否及时？'],
      ['准时的', /这一点我们的确做得不够[\s\S]*您反映的问题已转交负责人处理（投诉编号 TS\d{10}）/],
    ]);
    const s = await survey();
    expect(s).toMatchObject({ overall: 'dissatisfied', quality: 'dissatisfied', timeliness: 'timely', comment: '地没拖干净' });
    expect(await h.db.complaint.findFirstOrThrow()).toMatchObject({ number: s.complaintNumber, content: '地没拖干净' });
  });

  it('a question stays answerable after the customer went on to book something else', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await transcript(customer, [
      ['是我', '满意吗？'],
      ['后天上午10点擦玻璃', '服务地址'],
      ['阳光小区3栋501', '怎么称呼您'],
    ]);
    await customer.tap('联系人：张先生');
    await customer.tap('单次');
    await customer.tap('确认预约');
    expect(customer.text).toContain('预约成功');
    await transcript(customer, [
      ['一般吧', '服务质量您觉得怎么样？'],
      ['还行', '服务人员上门是否及时？'],
    ]);
    expect(await survey()).toMatchObject({ overall: 'average', quality: 'basic' });
  });

  it('做完了，挺满意的 at the completion check: the survey does not ask satisfaction again', async () => {
    const { customer } = await bookAndComplete('zhang', '2026-11-24T12:00:00+08:00', false);
    await transcript(customer, [['是的，已经做完了，挺满意的', '感谢您的确认']]);
    expect(await survey()).toMatchObject({ overall: 'satisfied', quality: null });
    h.clock.set('2026-11-24T14:00:00+08:00');
    expect(await sweeper().sweep()).toMatchObject({ sent: 1 });
    await transcript(customer, [['是我', '服务质量您觉得怎么样？']]);
    expect(customer.text).not.toContain('满意吗');
  });

  it('the reminder asks the one question left, and the words typed after it answer it', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    const run = sweeper();
    await run.sweep();
    await transcript(customer, [
      ['是我', '满意吗？'],
      ['满意', '服务质量'],
      ['挺好', '是否及时'],
      ['准时', '有什么建议吗？'],
    ]);
    await customer.press('menu:home'); // left for the menu without a word
    h.clock.set('2026-11-25T14:00:00+08:00');
    expect(await run.sweep()).toMatchObject({ reminded: 1 });
    expect((await outbox('zhang')).at(-1)?.message.text).toBe('（提醒）您对我们的服务有什么建议吗？');
    await transcript(customer, [['希望下次能带鞋套', '感谢您的答复']]);
    expect(await survey()).toMatchObject({ status: 'answered', comment: '希望下次能带鞋套' });
  });

  it('没有了 at the last question is no comment, not a comment', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    await transcript(customer, [
      ['是我', '满意吗？'],
      ['满意', '服务质量'],
      ['挺好', '是否及时'],
      ['准时', '有什么建议吗？'],
      ['没有了，谢谢', '感谢您的答复'],
    ]);
    expect(await survey()).toMatchObject({ status: 'answered', comment: null });
  });

  it('its numbered options survive a restart: 1 answers the opening', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    await sweeper().sweep();
    h.restart();
    await transcript(customer, [['1', '请问您对日常保洁服务项目满意吗？']]);
    expect((await survey()).identityOk).toBe(true);
  });
});
