import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/store/outbox.ts';
import { SendError } from '../../src/lib/errors.ts';
import { transcript } from '../support/transcript.ts';
import { createHarness, type Harness } from '../support/harness.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});


async function outbox(chatId?: string) {
  const rows = await h.db.outbox.findMany({ where: chatId ? { chatId } : {}, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ ...r, message: decodePayload(r.payload) }));
}

async function complaint() {
  const [c] = await h.db.complaint.findMany({ include: { events: { orderBy: { id: 'asc' } } } });
  if (!c) throw new Error('no complaint stored');
  return c;
}

/** A staff member who joined with the console's built-in code. */
async function staff(room: string, user: string, code: string, name: string) {
  const s = h.room(room, user, name);
  await s.say(`/join ${code}`);
  return s;
}

describe('complaint intake', () => {
  it('records every field, grades, posts to the level\'s room, and gives number and committed time', async () => {
    const c = h.chat('zhang');
    await c.book('明天上午9点保洁', { address: '阳光小区3栋2单元501', who: '张先生', phone: '13800138000' });
    h.clock.set('2026-11-24T13:00:00+08:00');
    await c.say('阿姨把花瓶打碎了');
    expect(c.text).toContain('我代表公司向您致歉');
    expect(c.text).toContain('有没有给您造成经济损失');
    await c.tap('有损失');
    expect(c.text).toContain('大约损失多少钱');
    await c.say('五百块左右');
    expect(c.text).toContain('之前向我们反映过吗');
    await c.tap('第一次反映');
    expect(c.text).toMatch(/您的投诉已记录，编号：TS261124\d{4}/);
    // The committed times, not the internal grade.
    expect(c.text).toContain('我们承诺：在11月24日（周二）14:00前转交负责人，11月27日（周五）13:00前给您处理结果');
    expect(c.text).not.toContain('重要');
    const row = await complaint();
    const [booking] = await h.db.booking.findMany();
    expect(row).toMatchObject({
      customerName: '张',
      salutation: '先生',
      phone: '13800138000',
      address: '阳光小区3栋2单元501',
      recorder: '小安',
      content: '阿姨把花瓶打碎了',
      category: 'damage',
      hadLoss: true,
      lossYuan: 500,
      priorCount: 0,
      grade: 'important',
      level: 'department_head',
      status: 'open',
      bookingId: booking?.id,
      matter: 'damage:daily_cleaning',
    });
    expect(row.receivedAt.toISOString()).toBe('2026-11-24T05:00:00.000Z');
    expect(row.events.map((e) => e.kind)).toEqual(['created', 'forwarded']);
    const [post] = await outbox('heads');
    expect(post?.channel).toBe('console');
    expect(post?.message.text).toContain(`【投诉 ${row.number}】重要 · 部门负责人`);
    expect(post?.message.text).toContain('张先生 · 138****8000 · 阳光小区****');
    expect(post?.message.text).not.toContain('13800138000');
    expect(post?.message.text).not.toContain('2单元501');
    expect(post?.message.buttons?.flat().map((b) => b.label)).toEqual(['认领', '处理完成', '无效', '调整等级']);
  });

  it('asks which booking when there are several, and who the customer is when unknown', async () => {
    const c = h.chat('li');
    await c.say('我要投诉');
    expect(c.text).toContain('请您说一下发生了什么');
    await c.say('上次说好的没来，这已经是第三次了');
    expect(c.text).toContain('有没有给您造成经济损失');
    await c.tap('没有损失');
    // "第三次" answered the "raised before" question already.
    expect(c.text).toContain('怎么称呼');
    await c.say('李女士');
    await c.say('13912345678');
    // Major: forwarded at once, a clear answer in 2 days, resolved in 10; the grade is not said.
    expect(c.text).toMatch(/我们承诺：立即转交负责人，\d+月\d+日（周.）\d\d:\d\d前给您明确答复，\d+月\d+日（周.）\d\d:\d\d前给您处理结果/);
    expect(c.text).not.toContain('重大');
    expect(await complaint()).toMatchObject({ category: 'no_show', priorCount: 2, grade: 'major', level: 'general_manager', customerName: '李' });
    expect((await outbox('managers')).length).toBe(1);
  });

  it('flags a group complaint when five customers raise the same matter within 7 days', async () => {
    for (let i = 0; i < 5; i += 1) {
      const c = h.chat(`g${i}`);
      await c.say('打扫得很不干净，敷衍了事');
      await c.tap('没有损失');
      await c.tap('第一次反映');
      await c.say(`顾女士`);
      await c.say(`1391234567${i}`);
      h.clock.advance(3_600_000);
    }
    const rows = await h.db.complaint.findMany();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.groupFlag)).toBe(true);
    const managers = await outbox('managers');
    expect(managers.some((p) => p.message.text.includes('群体投诉：7天内5位客户反映同一问题'))).toBe(true);
  });
});

describe('staff actions', () => {
  async function fileMinor() {
    const c = h.chat('wang');
    await c.say('阿姨态度很差，还一直玩手机');
    await c.tap('没有损失');
    await c.tap('第一次反映');
    await c.say('王先生');
    await c.say('13700001111');
    return { customer: c, row: await complaint() };
  }

  it('join with the invite code, claim, resolve; the customer is told both times; callback out of quiet hours', async () => {
    const { row } = await fileMinor();
    expect(row).toMatchObject({ grade: 'minor', level: 'contact' });
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    expect(desk.text).toContain('已加入，身份：前台客服');
    await desk.press(`claim:${row.number}`);
    expect(desk.text).toContain(`投诉 ${row.number} 已由前台小李认领`);
    const customerChat = h.chat('wang');
    await customerChat.say('我的投诉怎么样了');
    expect(customerChat.text).toContain(`· ${row.number}（11月23日（周一）10:00）处理中，负责人：前台小李，承诺11月23日（周一）14:00前处理完毕`);
    expect(await h.db.complaint.count()).toBe(1); // asking is not a new complaint
    const claimedNotice = (await outbox('wang')).at(-1);
    expect(claimedNotice?.message.text).toContain(`您的投诉（编号 ${row.number}）已由前台小李负责处理`);
    h.clock.set('2026-11-23T19:50:00+08:00');
    await desk.press(`resolve:${row.number}`);
    expect(desk.text).toContain('请输入投诉');
    await desk.say('已向客户道歉，并对该阿姨进行了培训和处罚。');
    expect(desk.text).toContain('处理完成');
    const after = await complaint();
    expect(after).toMatchObject({ status: 'resolved', resolution: '已向客户道歉，并对该阿姨进行了培训和处罚。', handler: '前台小李', valid: true });
    expect(after.events.map((e) => e.kind)).toEqual(['created', 'forwarded', 'claimed', 'resolved']);
    const notices = await outbox('wang');
    expect(notices.some((n) => n.message.text.includes('已处理完毕：已向客户道歉'))).toBe(true);
    const callback = notices.find((n) => n.dedupeKey.includes(':callback:'));
    // Resolved at 19:50 + 1 h = 20:50, inside the 20:00-09:00 rest hours: asked at 09:00 the next day.
    expect(callback?.nextAttemptAt.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(callback?.message.buttons?.flat().map((b) => b.label)).toEqual(['已解决', '还没解决']);
  });

  it('tells the room the result is queued, not received; a failed delivery comes back to the room', async () => {
    const { row } = await fileMinor();
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`resolve:${row.number}`);
    await desk.say('已向客户道歉，并对该阿姨进行了培训和处罚。');
    expect(desk.text).toContain(`投诉 ${row.number} 已由前台小李处理完成`);
    expect(desk.text).toContain('处理结果将发送给客户');
    expect(desk.text).not.toMatch(/客户已收到|已通知客户/);
    // The customer's platform refuses every message for good; the staff room gets everything.
    const delivered: { chatId: string; text: string }[] = [];
    const sender = {
      async send(chatId: string, message: { text: string }) {
        if (chatId === 'wang') throw new SendError('403 Forbidden: bot was blocked by the user', { permanent: true });
        delivered.push({ chatId, text: message.text });
      },
    };
    const d = h.dispatcher({ console: sender });
    await d.tick();
    await d.tick();
    const followUp = delivered.find((m) => m.text.includes('未能送达客户'));
    expect(followUp?.chatId).toBe('front-desk');
    expect(followUp?.text).toContain(`⚠ 未能送达客户：投诉 ${row.number} 的处理结果`);
    expect(followUp?.text).toContain('bot was blocked');
    expect(followUp?.text).toContain('请电话联系客户 137****1111');
    expect(followUp?.text).not.toContain('13700001111');
    // Once: a second tick does not post it again, and the claim notice (no follow-up asked) posts nothing.
    await d.tick();
    expect(delivered.filter((m) => m.text.includes('未能送达客户'))).toHaveLength(1);
  });

  it('refuses actions to anyone without the role, and nothing changes', async () => {
    const { row, customer } = await fileMinor();
    const stranger = h.room('front-desk', 'stranger');
    await stranger.press(`claim:${row.number}`);
    expect(stranger.text).toContain('只有公司员工可以操作');
    await customer.press(`resolve:${row.number}`);
    expect(customer.text).toContain('只有公司员工可以操作');
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`regrade:${row.number}`);
    expect(desk.text).toContain('您没有权限进行这个操作（需要：部门负责人）');
    const wrongCode = h.room('front-desk', 'x');
    await wrongCode.say('/join 123456');
    expect(wrongCode.text).toContain('邀请码不正确');
    const after = await complaint();
    expect(after).toMatchObject({ status: 'open', grade: 'minor', claimedBy: null, version: 0 });
  });

  it('a front desk cannot act on a complaint posted to the general manager', async () => {
    const c = h.chat('chen');
    await c.say('东西丢了，价值三千元');
    await c.tap('第一次反映');
    await c.say('陈先生');
    await c.say('13600002222');
    const row = await complaint();
    expect(row).toMatchObject({ grade: 'major', level: 'general_manager' });
    const desk = await staff('managers', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`claim:${row.number}`);
    expect(desk.text).toContain('需要：总经理');
    const gm = await staff('managers', 'gm', 'general-manager', '刘总');
    await gm.press(`claim:${row.number}`);
    expect(gm.text).toContain('已由刘总认领');
  });

  it('regrades with who, when and why, and moves the post up', async () => {
    const { row } = await fileMinor();
    const head = await staff('heads', 'head-1', 'dept-head', '赵经理');
    await head.press(`regrade:${row.number}`);
    await head.tap('重要');
    expect(head.text).toContain('原因');
    await head.say('客户反映阿姨多次迟到，属于管理问题');
    const after = await complaint();
    expect(after).toMatchObject({ grade: 'important', level: 'department_head' });
    const event = after.events.at(-1);
    expect(event).toMatchObject({ kind: 'regraded', fromGrade: 'minor', toGrade: 'important', note: '客户反映阿姨多次迟到，属于管理问题' });
    expect(event?.actor).toMatch(/^staff:\d+$/);
    expect((await outbox('heads')).length).toBe(1);
  });

  it('invalid sends the explanation to the customer', async () => {
    const { row } = await fileMinor();
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`invalid:${row.number}`);
    await desk.say('经核实当天服务人员按约定时间到达并完成服务，监控记录可查。');
    expect(await complaint()).toMatchObject({ status: 'invalid', valid: false });
    const notice = (await outbox('wang')).at(-1);
    expect(notice?.message.text).toContain('经核实情况如下：经核实当天服务人员按约定时间到达');
    expect(desk.text).toContain(`投诉 ${row.number} 已由前台小李判定为无效，说明将发送给客户`);
    // Stored with the notice: what the room is told if it is never delivered.
    expect(notice?.payload).toContain(`未能送达客户：投诉 ${row.number} 的无效说明`);
  });

  it('the callback: "not solved" reopens and escalates one level; "solved, satisfied" closes', async () => {
    const { customer, row } = await fileMinor();
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`claim:${row.number}`);
    await desk.press(`resolve:${row.number}`);
    await desk.say('已道歉并更换服务人员');
    await customer.press(`unsolved:${row.number}`);
    expect(customer.text).toContain('已重新打开并转交上级负责人');
    let after = await complaint();
    expect(after).toMatchObject({ status: 'open', level: 'department_head', solved: false, resolvedAt: null });
    const reposted = (await outbox('heads')).at(-1);
    expect(reposted?.message.text).toContain('客户回访反馈问题未解决');
    const head = await staff('heads', 'head-1', 'dept-head', '赵经理');
    await head.press(`claim:${row.number}`);
    await head.press(`resolve:${row.number}`);
    await head.say('经理上门致歉并赔偿');
    await customer.press(`solved:${row.number}`);
    await customer.tap('满意');
    expect(customer.text).toContain('感谢您的反馈');
    after = await complaint();
    expect(after).toMatchObject({ status: 'closed', solved: true, satisfied: true });
    await customer.press(`sat:${row.number}`);
    expect(customer.text).toContain('已经记录过了');
    // Someone else's complaint number gets nothing.
    const other = h.chat('other');
    await other.press(`unsolved:${row.number}`);
    expect(other.text).toContain('没有找到这条投诉');
  });

  it('the callback in words on the database: answered before it went out, it is never sent', async () => {
    const { customer, row } = await fileMinor();
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    await desk.press(`claim:${row.number}`);
    await desk.press(`resolve:${row.number}`);
    await desk.say('已道歉并更换服务人员');
    expect((await outbox('wang')).some((r) => r.dedupeKey.includes(':callback:'))).toBe(true);
    await transcript(customer, [
      ['已经解决了', '您对这次处理满意吗？'],
      ['一般吧', '感谢您的反馈'],
    ]);
    expect((await outbox('wang')).some((r) => r.dedupeKey.includes(':callback:'))).toBe(false);
    expect(await complaint()).toMatchObject({ status: 'closed', solved: true, satisfied: false });
  });

  it('staff chatter in a room gets no answer; only staff business does', async () => {
    const desk = await staff('front-desk', 'desk-1', 'front-desk', '前台小李');
    expect(await desk.say('大家中午吃什么')).toEqual([]);
    expect((await desk.say('/join')).at(0)?.text).toContain('用法');
  });
});

describe('hostile input in every free-text step', () => {
  // Two texts the bot cannot understand in a row hand the customer to a person (issue #15 must 1,
  // test/core/transcripts/stuck.unit.test.ts): the unreadable ones are kept apart by blank ones.
  const HOSTILE = ['', "'; DROP TABLE Complaint; --", '\u0000\u0001', '<script>x</script>', '😀'.repeat(3000), 'x'.repeat(100_000), '   '];

  it('never throws, always answers, and stores cleaned content', async () => {
    const c = h.chat('h1');
    // Some 40 messages: paced to stay inside the turn budget (30 a minute).
    const say = c.say.bind(c);
    c.say = (text: string) => {
      h.clock.advance(2_500);
      return say(text);
    };
    await c.say('我要投诉');
    // At "what happened" any meaningful text is the complaint, so only noise is sent there.
    for (const text of ['', '\u0000\u0001', '   ', '😀'.repeat(3000), 'x'.repeat(100_000)]) {
      expect((await c.say(text)).length).toBeGreaterThan(0);
    }
    await c.say("服务人员迟到两个小时<script>'; DROP TABLE Complaint; --");
    for (const text of HOSTILE) expect((await c.say(text)).length).toBeGreaterThan(0);
    // Some hostile texts are English words ("DROP TABLE"), so the bot may answer in English:
    // press the buttons by their payloads.
    await c.press('loss:y');
    for (const text of HOSTILE) expect((await c.say(text)).length).toBeGreaterThan(0);
    await c.press('loss:u');
    for (const text of HOSTILE) expect((await c.say(text)).length).toBeGreaterThan(0);
    await c.press('prior:0');
    for (const text of HOSTILE) expect((await c.say(text)).length).toBeGreaterThan(0);
    await c.say('周先生');
    for (const text of HOSTILE) expect((await c.say(text)).length).toBeGreaterThan(0);
    await c.say('13511112222');
    const row = await complaint();
    expect(row.content).toBe("服务人员迟到两个小时<script>'; DROP TABLE Complaint; --");
    expect(row.lossYuan).toBeNull();
    const desk = await staff('heads', 'd', 'dept-head', '赵经理');
    await desk.press(`resolve:${row.number}`);
    for (const text of HOSTILE) await desk.say(text);
    expect((await complaint()).status).toBe('resolved');
    expect((await complaint()).resolution?.length).toBeLessThanOrEqual(1000);
  });
});
