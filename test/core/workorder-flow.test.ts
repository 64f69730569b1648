import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { SendError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { WorkOrderSweep } from '../../src/scheduler/workorder-sweep.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { WorkOrderRepository } from '../../src/store/workorders.ts';
import { createHarness, type Chat, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
});
afterEach(async () => {
  await h.close();
});

const outbox = async (chatId: string) =>
  (await h.db.outbox.findMany({ where: { chatId }, orderBy: { id: 'asc' } })).map((r) => ({ ...r, message: decodePayload(r.payload) }));
const last = async (chatId: string) => (await outbox(chatId)).at(-1)!.message;
const workOrder = () => h.db.workOrder.findFirstOrThrow({ include: { events: { orderBy: { id: 'asc' } } } });
const local = (d: Date | null | undefined) => (d ? DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm') : null);

/** Presses the button of an outbox message whose label contains `label`, as `who`. */
async function pressIn(who: Chat, message: { buttons?: { label: string; action: string }[][] }, label: string) {
  const button = (message.buttons ?? []).flat().find((b) => b.label.includes(label));
  if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(message.buttons)}`);
  return who.press(button.action);
}

interface Cast {
  customer: Chat;
  desk: Chat;
  worker: Chat;
  number: string;
}

/** A customer books tomorrow 09:00 cleaning; a front desk member and a cleaning worker have joined. */
async function booked(): Promise<Cast> {
  const desk = h.room('front-desk', 'desk', '前台小李');
  await desk.say('/join front-desk');
  // Joined in a group: told to open a private chat, where work orders reach them.
  expect(desk.text).toContain('请现在私聊机器人，发送 /start');
  const worker = h.chat('wang', 'console');
  await worker.raw({ text: '/join on-site cleaning', displayName: '王师傅' });
  expect(worker.text).toContain('部门：保洁部');
  expect(worker.text).not.toContain('私聊机器人');
  const customer = h.chat('zhang');
  await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000', address: '阳光小区3栋501' });
  const number = /JZ\d{10}/.exec(customer.text)![0];
  return { customer, desk, worker, number };
}

/** The desk assigns the work order to 王师傅 and he accepts it in his private chat. */
async function assignedAndAccepted(c: Cast) {
  await pressIn(c.desk, await last('front-desk'), '派单');
  await c.desk.tap('王师傅');
  await pressIn(c.worker, await last('wang'), '接单');
}

describe('the work order (派工单)', () => {
  it('a confirmed booking posts a masked work order; the desk assigns from a list with visits that day; the worker gets the full card and accepts; the customer is told who is coming', async () => {
    const c = await booked();
    const post = await last('front-desk');
    expect(post.text).toContain(`【派工单 ${c.number}】日常保洁`);
    expect(post.text).toContain('138****8000');
    expect(post.text).not.toContain('13800138000');
    expect(post.text).not.toContain('3栋501');
    expect(post.text).toContain('部门：保洁部');

    await pressIn(c.desk, post, '派单');
    expect(c.desk.text).toContain('请选择派工单');
    expect(c.desk.buttons.map((b) => b.label)).toEqual(['王师傅（当天0单）', '我来接']);
    await c.desk.tap('王师傅');
    expect(c.desk.text).toContain(`已将派工单 ${c.number} 派给王师傅`);

    const card = await last('wang');
    expect(card.text).toContain('地址：阳光小区3栋501');
    expect(card.text).toContain('联系人：张先生 13800138000');
    expect(card.text).toContain('服务内容：客厅、卧室');
    expect(card.text).toContain('不含：贵重物品');
    expect(card.text).toContain('责任：服务人员按约定内容上门服务');
    // Only the assigned worker may accept.
    await pressIn(c.desk, card, '接单');
    expect(c.desk.text).toContain('不是派给您的');
    await pressIn(c.worker, card, '接单');
    expect(c.worker.text).toContain(`已接单 ${c.number}`);
    expect((await workOrder()).status).toBe('accepted');
    expect((await h.db.booking.findFirstOrThrow()).status).toBe('assigned');
    expect((await last('zhang')).text).toBe(`您预约的日常保洁（${c.number}）将由服务人员王师傅于11月24日（周二）09:00上门，请您届时留意。`);
    expect((await last('front-desk')).text).toContain(`王师傅已接派工单 ${c.number}`);

    // A second booking that day: the list counts his visit.
    const other = h.chat('li');
    await other.book('明天下午3点保洁', { who: '李女士', phone: '13900001111' });
    await pressIn(c.desk, await last('front-desk'), '派单');
    expect(c.desk.buttons.map((b) => b.label)).toContain('王师傅（当天1单）');

    await c.worker.say('/jobs');
    expect(c.worker.text).toContain('您今天和明天的上门服务');
    expect(c.worker.text).toContain(`${c.number} 日常保洁 · 阳光小区3栋501 · 张先生 13800138000 · 已接单`);
  });

  it('a decline with a reason goes back to the room to assign again', async () => {
    const c = await booked();
    await pressIn(c.desk, await last('front-desk'), '派单');
    await c.desk.tap('王师傅');
    await pressIn(c.worker, await last('wang'), '拒单');
    expect(c.worker.replies[0]?.expectsReply).toBe(true);
    await c.worker.say('明天上午已有别的活，赶不过去');
    expect(c.worker.text).toContain('已退回派工单');
    const back = await last('front-desk');
    expect(back.text).toContain(`王师傅拒绝了派工单 ${c.number}，原因：明天上午已有别的活，赶不过去`);
    expect((await workOrder()).status).toBe('open');
    await pressIn(c.desk, back, '我来接');
    expect(c.desk.text).toContain('派给前台小李');
  });

  it("a card the worker's chat refuses for good reaches the room with who, why and the assign buttons; /jobs later lists it for any date", async () => {
    const c = await booked();
    // A visit three days ahead, so /jobs's today-and-tomorrow would not show it.
    const li = h.chat('li');
    await li.book('12月3日上午9点保洁', { who: '李女士', phone: '13900001111' });
    const number = /JZ\d{10}/.exec(li.text)![0];
    await pressIn(c.desk, await last('front-desk'), '派单');
    await c.desk.tap('王师傅');
    const delivered: { chatId: string; text: string; buttons?: { label: string; action: string }[][] }[] = [];
    const sender = {
      async send(chatId: string, message: { text: string; buttons?: { label: string; action: string }[][] }) {
        if (chatId === 'wang') throw new SendError("telegram sendMessage failed: 403 Forbidden: bot can't initiate conversation with a user", { permanent: true });
        delivered.push({ chatId, ...message });
      },
    };
    const d = h.dispatcher({ console: sender });
    await d.tick();
    await d.tick();
    const told = delivered.filter((m) => m.text.includes('没能发给'));
    expect(told).toHaveLength(1);
    expect(told[0]?.chatId).toBe('front-desk');
    expect(told[0]?.text).toContain(`⚠ 派工单 ${number} 没能发给王师傅：对方还没有私聊过机器人`);
    expect(told[0]?.text).toContain('私聊机器人发送 /start 或 /jobs');
    expect(told[0]?.buttons?.flat().map((b) => b.label)).toEqual(['派单', '我来接']);
    // The worker opens the private chat later: /jobs lists the order waiting for acceptance, with its buttons.
    await c.worker.say('/jobs');
    expect(c.worker.text).toContain(number);
    await c.worker.tap('接单');
    expect(c.worker.text).toContain(`已接单 ${number}`);
    expect((await h.db.workOrder.findFirstOrThrow({ where: { booking: { number } } })).status).toBe('accepted');
  });

  it('until the worker accepts, the room can assign the order again', async () => {
    const c = await booked();
    await pressIn(c.desk, await last('front-desk'), '派单');
    await c.desk.tap('王师傅');
    await pressIn(c.desk, await last('front-desk'), '我来接');
    expect(c.desk.text).toContain(`已将派工单 ${c.number} 派给前台小李`);
    await c.worker.press(`wo:ok.${c.number}`);
    expect(c.worker.text).toContain('不是派给您的');
    await c.desk.press(`wo:ok.${c.number}`);
    await pressIn(c.desk, (await outbox('front-desk'))[0]!.message, '派单');
    expect(c.desk.text).toContain(`派工单 ${c.number} 已派给前台小李`);
  });

  it('late: the customer gets an apology and reconfirms; arriving within the announced time is no lateness event', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T08:30:00+08:00');
    await c.worker.tap('会迟到');
    await c.worker.tap('1小时');
    expect(c.worker.text).toContain('已向客户致歉');
    const notice = await last('zhang');
    expect(notice.text).toContain('张先生，非常抱歉，服务人员因临时急事无法按约定的11月24日（周二）09:00到达，预计11月24日（周二）10:00上门');
    expect(notice.text).toContain('10:00上门');
    expect(notice.buttons!.flat().map((b) => b.label)).toEqual(['可以，按新时间', '改约其他时间', '取消预约']);
    await pressIn(c.customer, notice, '可以');
    expect(c.customer.text).toContain('服务人员将于');
    expect((await last('wang')).text).toContain('客户同意新时间');
    h.clock.set('2026-11-24T10:10:00+08:00');
    await c.worker.say('/jobs');
    await c.worker.tap('已到达');
    const wo = await workOrder();
    expect(wo.status).toBe('arrived');
    expect(wo.events.map((e) => e.kind)).toEqual(['posted', 'assigned', 'accepted', 'late_announced', 'reconfirmed', 'arrived']);
  });

  it('arriving more than 30 minutes late without notice is a lateness event the front desk sees', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T09:45:00+08:00');
    await c.worker.say('/jobs');
    await c.worker.tap('已到达');
    const wo = await workOrder();
    expect(wo.events.find((e) => e.kind === 'late_unannounced')?.minutes).toBe(45);
    expect((await last('front-desk')).text).toContain(`迟到记录：王师傅的派工单 ${c.number}`);
  });

  it('on site the work differed: the worker records the actual work and fee, the customer confirms, then the visit completes as with /done', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T09:00:00+08:00');
    await c.worker.tap('已到达');
    await c.worker.tap('现场有出入');
    expect(c.worker.replies[0]?.expectsReply).toBe(true);
    await c.worker.say('厨房油烟很重，加做油烟机清洗，共330元');
    expect(c.worker.text).toContain('已请客户确认实际工作和费用 ¥330');
    expect((await h.db.booking.findFirstOrThrow()).status).toBe('assigned');
    expect(await h.db.survey.count()).toBe(0);
    const fee = await last('zhang');
    expect(fee.text).toContain('服务人员记录的实际工作：厨房油烟很重，加做油烟机清洗，共330元');
    expect(fee.text).toContain('费用：¥330');
    await pressIn(c.customer, fee, '确认');
    expect(c.customer.text).toContain('感谢您的确认');
    expect((await h.db.booking.findFirstOrThrow()).status).toBe('completed');
    expect(await h.db.survey.count()).toBe(1);
    const wo = await workOrder();
    expect(wo).toMatchObject({ status: 'completed', actualFeeFen: 33000 });
    expect((await last('wang')).text).toContain('客户已确认实际工作和费用');
  });

  it('a customer who disputes the fee reaches the front desk; nothing completes', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T09:00:00+08:00');
    await c.worker.tap('已到达');
    await c.worker.tap('现场有出入');
    await c.worker.say('多擦了两扇窗 380元');
    await pressIn(c.customer, await last('zhang'), '有异议');
    expect(c.customer.text).toContain('前台会尽快与您联系');
    expect((await outbox('front-desk')).some((r) => r.message.text.includes('客户对实际费用有异议'))).toBe(true);
    expect(await h.db.survey.count()).toBe(0);
    expect(local((await workOrder()).createdAt)).not.toBeNull();
  });

  it('arrival is refused more than two hours before the visit, and completion needs arrival first', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    // The evening before a 09:00 visit.
    h.clock.set('2026-11-23T20:00:00+08:00');
    await c.worker.tap('已到达');
    expect(c.worker.text).toContain(`还没到上门时间：派工单 ${c.number} 约定11月24日（周二）09:00，最早11月24日（周二）07:00起可以标记到达`);
    await c.worker.press(`wo:done.${c.number}`);
    expect(c.worker.text).toContain(`请先在到达客户家时点“已到达”（${c.number}）`);
    await c.worker.press(`wo:diff.${c.number}`);
    expect(c.worker.text).toContain('请先在到达客户家时点“已到达”');
    expect((await workOrder()).status).toBe('accepted');
    expect(await h.db.survey.count()).toBe(0);
    expect((await outbox('zhang')).some((r) => r.message.text.includes('请您确认'))).toBe(false);
    // Two hours before: arrival counts.
    h.clock.set('2026-11-24T07:00:00+08:00');
    await c.worker.say('/jobs');
    await c.worker.tap('已到达');
    expect(c.worker.text).toContain(`已记录到达（${c.number}）`);
    expect((await workOrder()).status).toBe('arrived');
  });

  it('done without differences completes the visit through the same path as /done', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T09:00:00+08:00');
    await c.worker.tap('已到达');
    await c.worker.tap('服务完成');
    expect(c.worker.text).toContain(`已标记预约 ${c.number} 第1次服务完成`);
    expect((await last('zhang')).text).toContain('服务人员已标记完成，请您确认');
    expect((await workOrder()).status).toBe('completed');
  });
});

describe('forged work order buttons', () => {
  it('change nothing: another customer, a worker who was not assigned, an assignment to a non-worker', async () => {
    const c = await booked();
    const stranger = h.chat('li');
    await stranger.say('你好');
    const before = await workOrder();
    for (const op of ['keep', 'fy', 'fn']) {
      await stranger.press(`wo:${op}.${c.number}`);
      expect(stranger.text).toContain('这个选项已经过期了');
    }
    await stranger.press(`wo:take.${c.number}`);
    expect(stranger.text).toContain('只有公司员工可以操作');
    // The desk member's own staff id, forged into an assignment by an on-site worker.
    const desk = await h.db.staff.findFirstOrThrow({ where: { role: 'front_desk' } });
    await c.worker.press(`wo:to.${c.number}.${desk.id}`);
    expect(c.worker.text).toContain('只有前台、部门负责人或总经理可以派给他人');
    const manager = h.chat('boss');
    await manager.say('/join general-manager');
    await manager.say('/staff');
    expect(manager.text).toMatch(/王师傅 · 上门服务人员（保洁部） · console/);
    const boss = await h.db.staff.findFirstOrThrow({ where: { role: 'general_manager' } });
    await c.desk.press(`wo:to.${c.number}.${boss.id}`);
    expect(c.desk.text).toContain('没有找到这张派工单');
    await c.worker.press(`wo:ok.${c.number}`);
    expect(c.worker.text).toContain('不是派给您的');
    const after = await workOrder();
    expect(after).toMatchObject({ status: 'open', workerId: null, version: before.version });
    expect(await outbox('zhang')).toHaveLength(0);
  });
});

describe('the work order sweep', () => {
  const sweep = () => {
    const s = loadSettings({});
    return new WorkOrderSweep({ store: new WorkOrderRepository(h.db), company: h.company, complaints: s.complaints, policy: s.workOrders, clock: h.clock, log: silentLogger, m: messages('zh') }).sweep();
  };

  it('reminds the customer at 19:00 the evening before, once, with buttons to reschedule or cancel that work', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-23T18:59:00+08:00');
    expect(await sweep()).toMatchObject({ reminded: 0 });
    h.clock.set('2026-11-23T19:00:00+08:00');
    expect(await sweep()).toMatchObject({ reminded: 1 });
    expect(await sweep()).toMatchObject({ reminded: 0 });
    const reminder = await last('zhang');
    expect(reminder.text).toBe(`张先生您好，提醒您：11月24日（周二）09:00有日常保洁服务（${c.number}），服务人员王师傅。请提前收好贵重物品。如需改约或取消，请点下面的按钮。`);
    await pressIn(c.customer, reminder, '取消预约');
    expect(c.customer.text).toContain(`确定要取消预约 ${c.number}`);
    await c.customer.say('是的');
    expect((await h.db.booking.findFirstOrThrow()).status).toBe('cancelled');
    // The worker hears of it at the next sweep.
    expect(await sweep()).toMatchObject({ changed: 1 });
    expect((await last('wang')).text).toContain('已取消预约，无需上门');
    expect((await workOrder()).status).toBe('cancelled');
  });

  it('a visit marked done with /done outside its work order is no lateness, no reminder and no /jobs line', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    await c.desk.say(`/done ${c.number}`);
    h.clock.set('2026-11-23T19:00:00+08:00');
    expect(await sweep()).toMatchObject({ reminded: 0 });
    h.clock.set('2026-11-24T11:00:00+08:00');
    expect(await sweep()).toMatchObject({ lateLogged: 0 });
    await c.worker.say('/jobs');
    expect(c.worker.text).toBe('您今天和明天没有上门服务，也没有等您接单的派工单。');
  });

  it('a booking the customer moves is told to the worker with the new time, and its reminder follows the new date', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    await c.customer.say('我的预约');
    await c.customer.tap('改约');
    await c.customer.say('后天下午3点');
    await c.customer.tap('确认');
    expect(local((await h.db.booking.findFirstOrThrow()).start)).toBe('2026-11-25 15:00');
    expect(await sweep()).toMatchObject({ changed: 1 });
    expect((await last('wang')).text).toBe(`派工单 ${c.number} 的客户已改约到11月25日（周三）15:00，请按新时间上门。`);
    expect(local((await workOrder()).visitStart)).toBe('2026-11-25 15:00');
    h.clock.set('2026-11-23T19:00:00+08:00');
    expect(await sweep()).toMatchObject({ reminded: 0, changed: 0 });
    h.clock.set('2026-11-24T19:00:00+08:00');
    expect(await sweep()).toMatchObject({ reminded: 1 });
  });

  it('a late notice left unanswered reaches the front desk; a visit not started 30 minutes after its time without notice is a lateness event', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    h.clock.set('2026-11-24T08:30:00+08:00');
    await c.worker.tap('会迟到');
    await c.worker.tap('30分钟');
    h.clock.set('2026-11-24T09:00:00+08:00');
    expect(await sweep()).toMatchObject({ reconfirmEscalated: 1, lateLogged: 0 });
    expect((await last('front-desk')).text).toContain(`客户未答复迟到改时：派工单 ${c.number}，新时间11月24日（周二）09:30，客户 张先生 138****8000`);
    // Announced for 09:30: not late at 10:00, late without further notice after 10:00.
    h.clock.set('2026-11-24T10:00:00+08:00');
    expect(await sweep()).toMatchObject({ lateLogged: 0 });
    h.clock.set('2026-11-24T10:01:00+08:00');
    expect(await sweep()).toMatchObject({ lateLogged: 1 });
    expect((await last('front-desk')).text).toContain(`迟到记录：王师傅的派工单 ${c.number}`);
    expect((await workOrder()).events.filter((e) => e.kind === 'late_unannounced')).toHaveLength(1);
    expect(await sweep()).toMatchObject({ lateLogged: 0 });
  });
  it('reports count work orders by department: posted, accepted, completed, declines, lateness, time to accept, callbacks within 24 h', async () => {
    const c = await booked();
    // Accepted 12 minutes after it was posted.
    h.clock.set('2026-11-23T10:12:00+08:00');
    await assignedAndAccepted(c);
    // A second one, declined once, then accepted 18 minutes after it was posted.
    const li = h.chat('li');
    await li.book('明天下午3点保洁', { who: '李女士', phone: '13900001111' });
    await pressIn(c.desk, await last('front-desk'), '派单');
    await c.desk.tap('王师傅');
    await pressIn(c.worker, await last('wang'), '拒单');
    await c.worker.say('下午有事');
    await pressIn(c.desk, await last('front-desk'), '派单');
    await c.desk.tap('王师傅');
    h.clock.set('2026-11-23T10:30:00+08:00');
    await pressIn(c.worker, await last('wang'), '接单');
    // The first: a late notice, kept, then done; its callback answered two hours after.
    h.clock.set('2026-11-24T08:30:00+08:00');
    await c.worker.say('/jobs');
    await c.worker.tap('会迟到'); // the first visit of the day is the first
    await c.worker.tap('1小时');
    await pressIn(c.customer, await last('zhang'), '可以');
    h.clock.set('2026-11-24T10:10:00+08:00');
    await c.worker.say('/jobs');
    await c.worker.tap('已到达');
    await c.worker.tap('服务完成');
    const survey = await h.db.survey.findFirstOrThrow();
    await h.db.survey.update({ where: { id: survey.id }, data: { status: 'answered', answeredAt: new Date(survey.completedAt.getTime() + 2 * 3_600_000), overall: 'satisfied' } });
    // The second: not started 30 minutes after 15:00, no notice.
    h.clock.set('2026-11-24T15:31:00+08:00');
    expect(await sweep()).toMatchObject({ lateLogged: 1 });

    const period = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00'), label: '2026年11月' };
    const figures = await new ReportRepository(h.db, { departments: h.company.departments }).figures(period, undefined, h.clock.now());
    expect(figures.workOrders).toEqual([
      { department: '保洁部', posted: 2, accepted: 2, completed: 1, declined: 1, lateNotices: 1, lateUnannounced: 1, acceptMinutes: 15, calledBackIn24h: 1 },
    ]);
    const gm = h.room('managers', 'gm', '刘总');
    await gm.say('/join general-manager');
    const replies = await gm.say('/report 2026-11');
    expect(replies[0]?.text).toContain('派工单（按部门）：\n· 保洁部：派工 2，接单 2，完成 1，拒单 1 次，迟到报备 1，未报备迟到 1，平均接单用时 15 分钟，24小时内回访 1');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(replies[2]!.file!.data) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('派工单按部门汇总')!;
    expect(sheet.getRow(2).values).toEqual([undefined, '部门', '派工数', '接单数', '完成数', '拒单次数', '迟到报备', '未报备迟到', '平均接单用时（分钟）', '24小时内回访']);
    expect(sheet.getRow(3).values).toEqual([undefined, '保洁部', 2, 2, 1, 1, 1, 1, 15, 1]);
    // A month without work orders says so.
    expect((await gm.say('/report 2026-10'))[0]?.text).toContain('派工单：本期没有');
  }, 30_000);
});

describe('the customer file (/customer)', () => {
  it('shows bookings with their work orders, complaints and callbacks; full details to the front desk, masked to on-site staff; never in a group', async () => {
    const c = await booked();
    await assignedAndAccepted(c);
    await c.customer.say('阿姨上次态度不好');
    await c.customer.tap('没有损失');
    await c.customer.tap('第一次');
    const complaint = /TS\d{10}/.exec(c.customer.text)?.[0];
    expect(complaint).toBeDefined();

    const deskPrivate = h.chat('desk');
    await deskPrivate.say(`/customer ${complaint}`);
    expect(deskPrivate.text).toContain('【客户档案 #');
    expect(deskPrivate.text).toContain('电话：13800138000');
    expect(deskPrivate.text).toContain('地址：阳光小区3栋501');
    expect(deskPrivate.text).toContain(`· ${c.number} 日常保洁 11月24日（周二）09:00 · 已派工 · 派工：已接单（王师傅）`);
    expect(deskPrivate.text).toContain(`· ${complaint} `);

    await c.worker.say(`/customer ${c.number}`);
    expect(c.worker.text).toContain('电话：138****8000');
    expect(c.worker.text).not.toContain('13800138000');

    await c.desk.say(`/customer ${c.number}`);
    expect(c.desk.text).toBe('客户档案只在与我的私聊中查看，请私聊我发送 /customer <编号>。');
    await c.customer.say(`/customer ${c.number}`);
    expect(c.customer.text).toContain('只有公司员工可以操作');

    expect(deskPrivate.text).toContain('转人工：\n· 无');
    await c.customer.say('帮我转个人工吧');
    await deskPrivate.say(`/customer ${c.number}`);
    expect(deskPrivate.text).toMatch(/转人工：\n· RG\d{10}（.+）· 客户要求人工服务 · 等待接待/);
  });
});

describe('departments (company file)', () => {
  it("a service's work orders and complaints go to its department's room when it has one, and reports group complaints by department", async () => {
    await h.close();
    const company = structuredClone(loadSettings({}).company);
    company.departments[0]!.room = 'console:cleaning';
    h = await createHarness({ now: '2026-11-23T10:00:00+08:00', company });
    const customer = h.chat('zhang');
    await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
    const number = /JZ\d{10}/.exec(customer.text)![0];
    expect((await last('cleaning')).text).toContain(`【派工单 ${number}】`);
    expect(await outbox('front-desk')).toHaveLength(0);

    await customer.say('阿姨态度不好，一直玩手机');
    await customer.tap('没有损失');
    await customer.tap('第一次');
    const complaint = /TS\d{10}/.exec(customer.text)![0];
    expect((await last('cleaning')).text).toContain(`【投诉 ${complaint}】`);

    const period = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00'), label: '2026年11月' };
    const reports = new ReportRepository(h.db, { departments: company.departments });
    expect((await reports.figures(period, undefined, h.clock.now())).complaints.byDepartment).toEqual({ 保洁部: 1 });
    expect((await reports.complaintRows(period))[0]?.department).toBe('保洁部');
  });
});
