import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { MonthlyReport } from '../../src/scheduler/monthly-report.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { chartGrades } from '../../src/features/reports/chart.ts';
import { buildWorkbook } from '../../src/features/reports/workbook.ts';
import { maskAddress, maskPhone } from '../../src/domain/privacy.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
  await seed();
});
afterEach(async () => {
  await h.close();
});

const t = (iso: string) => new Date(iso);

/** October 2026 with known answers (times in +08:00), plus one complaint in September. */
async function seed() {
  const db = h.db;
  const customer = await db.customer.create({ data: { channel: 'console', platformUserId: 'c1', name: '张', salutation: '先生', phone: '13800138000' } });
  await db.conversation.create({ data: { channel: 'console', chatId: 'c1', customerId: customer.id } });
  const booking = (n: number, start: string, status: string, visits = 0) =>
    db.booking.create({
      data: {
        number: `JZ26100100${n}0`, customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: t(start), address: '阳光小区3栋501',
        contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000, unit: '小时', confirmKey: `k${n}`, status, visits,
      },
    });
  const b1 = await booking(1, '2026-10-03T09:00:00+08:00', 'completed', 1);
  const b2 = await booking(2, '2026-10-04T09:00:00+08:00', 'completed', 1);
  const b3 = await booking(3, '2026-10-05T09:00:00+08:00', 'completed', 1);
  await booking(4, '2026-10-06T09:00:00+08:00', 'confirmed');
  await booking(5, '2026-10-07T09:00:00+08:00', 'cancelled');
  const complaint = (n: number, grade: string, received: string, claimed: string | null, resolved: string | null, bookingId: number | null) =>
    db.complaint.create({
      data: {
        number: `TS26100000${n}0`, customerId: customer.id, bookingId, channel: 'console', chatId: 'c1', receivedAt: t(received), customerName: '张', salutation: '先生',
        phone: '13800138000', recorder: '小安', content: '内容', category: 'quality', matter: 'quality:daily_cleaning', hadLoss: false, grade,
        level: 'contact', forwardedAt: t(received), claimedAt: claimed ? t(claimed) : null, handler: claimed ? '前台小李' : null,
        resolvedAt: resolved ? t(resolved) : null, status: resolved ? 'resolved' : claimed ? 'claimed' : 'open',
      },
    });
  await complaint(1, 'minor', '2026-10-05T10:00:00+08:00', '2026-10-05T10:10:00+08:00', '2026-10-05T13:00:00+08:00', b1.id); // 10 min, 3 h: on time
  await complaint(2, 'minor', '2026-10-06T10:00:00+08:00', '2026-10-06T10:30:00+08:00', '2026-10-06T16:00:00+08:00', null); // 30 min, 6 h: late
  await complaint(3, 'important', '2026-10-10T09:00:00+08:00', '2026-10-10T09:20:00+08:00', '2026-10-12T09:00:00+08:00', b2.id); // 20 min, 48 h
  await complaint(4, 'major', '2026-10-20T08:00:00+08:00', '2026-10-20T09:00:00+08:00', null, null); // 60 min, open
  await complaint(5, 'minor', '2026-09-15T08:00:00+08:00', null, null, null); // previous month
  const survey = (bookingId: number, completed: string, data: Record<string, unknown>) =>
    db.survey.create({ data: { bookingId, visit: 1, customerId: customer.id, channel: 'console', chatId: 'c1', completedAt: t(completed), completedBy: 'staff:1', ...data } });
  await survey(b1.id, '2026-10-03T12:00:00+08:00', { status: 'answered', answeredAt: t('2026-10-03T15:00:00+08:00'), answeredBy: 'customer', overall: 'satisfied', quality: 'basic', timeliness: 'timely' });
  await survey(b2.id, '2026-10-04T12:00:00+08:00', { status: 'answered', answeredAt: t('2026-10-07T20:00:00+08:00'), answeredBy: 'staff:1', overall: 'average', quality: 'satisfied', timeliness: 'late', comment: '稍慢' });
  await survey(b3.id, '2026-10-05T12:00:00+08:00', { status: 'phone', phoneAt: t('2026-10-07T12:00:00+08:00') });
}

const OCT = { from: t('2026-10-01T00:00:00+08:00'), to: t('2026-11-01T00:00:00+08:00'), label: '2026年10月' };
const SEP = { from: t('2026-09-01T00:00:00+08:00'), to: t('2026-10-01T00:00:00+08:00'), label: '2026年9月' };

describe('report figures (DOMAIN §4), computed in the database', () => {
  it('match the seeded month exactly', async () => {
    const f = await new ReportRepository(h.db).figures(OCT, SEP, t('2026-11-23T10:00:00+08:00'));
    expect(f.complaints.total).toBe(4);
    expect(f.complaints.byGrade).toEqual([
      // The open 重大 is past its deadline (10-30): late.
      { grade: 'major', count: 1, forwardedOnTime: 1, resolved: 0, resolvedOnTime: 0, late: 1, pending: 0, onTimeRate: 0 },
      { grade: 'important', count: 1, forwardedOnTime: 1, resolved: 1, resolvedOnTime: 1, late: 0, pending: 0, onTimeRate: 1 },
      { grade: 'minor', count: 2, forwardedOnTime: 2, resolved: 2, resolvedOnTime: 1, late: 1, pending: 0, onTimeRate: 0.5 },
    ]);
    expect(f.complaints.byStatus).toEqual({ resolved: 3, claimed: 1 });
    expect(f.complaints.byCategory).toEqual({ quality: 4 });
    expect(f.complaints.byDepartment).toEqual({ '—': 4 });
    expect(f.complaints.byService).toEqual({ 日常保洁: 2, 未关联预约: 2 });
    // Response minutes 10, 20, 30, 60; resolution hours 3, 6, 48 (lower median, nearest-rank P90).
    expect(f.complaints.responseMinutes.median).toBeCloseTo(20, 6);
    expect(f.complaints.responseMinutes.p90).toBeCloseTo(30, 6);
    expect(f.complaints.resolutionHours.median).toBeCloseTo(6, 6);
    expect(f.complaints.resolutionHours.p90).toBeCloseTo(6, 6);
    expect(f.bookings).toEqual({ total: 4, completed: 3, completionRate: 0.75 });
    expect(f.callbacks).toMatchObject({
      due: 3,
      doneWithin3Days: 1,
      overall: { satisfied: 1, average: 1, dissatisfied: 0 },
      quality: { satisfied: 1, basic: 1, dissatisfied: 0 },
      timeliness: { timely: 1, average: 0, late: 1 },
      satisfactionRate: 0.5,
    });
    expect(f.callbacks.rate).toBeCloseTo(1 / 3, 6);
    expect(f.previous?.complaints.total).toBe(1);
  });
});

describe('report commands', () => {
  it('a general manager gets a summary, a chart and a spreadsheet', async () => {
    const gm = h.room('managers', 'gm', '刘总');
    await gm.say('/join general-manager');
    const replies = await gm.say('/report 2026-10');
    expect(replies).toHaveLength(3);
    const summary = replies[0]!.text;
    expect(summary).toContain('【2026年10月 服务统计】');
    expect(summary).toContain('投诉 4 件（重大 1 / 重要 1 / 轻微 2），上期 1 件（+3）');
    expect(summary).toContain('按时处理率：重大 0% · 重要 100% · 轻微 50%');
    expect(summary).toContain('中位 20 分钟（P90 30 分钟）');
    expect(summary).toContain('服务完成率：75%（3/4）');
    expect(summary).toContain('3天内回访：33.3%（1/3）');
    const png = replies[1]!.file!;
    expect(png.mime).toBe('image/png');
    expect(Buffer.from(png.data).subarray(1, 4).toString()).toBe('PNG');
    const xlsx = replies[2]!.file!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.data) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['投诉处理记录汇总表', '客户月回访信息登记表', '汇总', '派工单按部门汇总']);
    const text = (name: string) => book.getWorksheet(name)!.getSheetValues().flat().filter(Boolean).map(String).join('|');
    expect(text('投诉处理记录汇总表')).toContain('TS261000004');
    expect(text('客户月回访信息登记表')).toContain('稍慢');
    await gm.say('上月统计');
    expect(gm.text).toContain('【2026年10月 服务统计】');
  }, 30_000);

  it('anyone else gets a polite refusal that says nothing about the figures', async () => {
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    await desk.say('/report');
    expect(desk.text).toBe('抱歉，统计报表仅向部门负责人和总经理提供。');
    const customer = h.chat('c1');
    await customer.say('本月报表');
    expect(customer.text).toBe('抱歉，统计报表仅向部门负责人和总经理提供。');
  });

  it('who asks decides (#12): a manager gets the report in their own words, inside a booking too; a customer never files a complaint by asking', async () => {
    const boss = h.chat('boss');
    await boss.say('/join general-manager');
    await boss.say('明天上午9点保洁');
    expect(boss.text).toContain('服务地址');
    await boss.say('给我看看上个月的数据');
    expect(boss.text).toContain('【2026年10月 服务统计】');
    await boss.say('阳光小区3栋501'); // the booking waited
    expect(boss.text).toContain('怎么称呼您');
    const before = await h.db.complaint.count();
    const customer = h.chat('c1');
    await customer.say('这个月的投诉有多少');
    expect(customer.text).toContain('统计报表仅向公司管理人员提供');
    expect(customer.text).not.toContain('抱歉给您带来');
    expect(await h.db.complaint.count()).toBe(before);
  }, 30_000);
});

describe('the monthly report', () => {
  function job() {
    const s = loadSettings({});
    return new MonthlyReport({
      reports: new ReportRepository(h.db),
      store: new PrismaCoreStore(h.db),
      company: h.company,
      room: s.complaints.rooms.general_manager,
      clock: h.clock,
      log: silentLogger,
      m: messages('zh'),
      day: 28,
    });
  }

  it('posts last month on the 28th at 09:00, exactly once even with several instances', async () => {
    h.clock.set('2026-11-28T08:59:00+08:00');
    expect(await job().runIfDue()).toBe(false);
    h.clock.set('2026-11-28T09:00:00+08:00');
    const posted = await Promise.all([job().runIfDue(), job().runIfDue(), job().runIfDue()]);
    expect(posted.filter(Boolean)).toHaveLength(1);
    h.clock.set('2026-11-29T10:00:00+08:00');
    expect(await job().runIfDue()).toBe(false);
    const rows = await h.db.outbox.findMany({ where: { chatId: 'managers', kind: 'report' }, orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(3);
    expect(decodePayload(rows[0]!.payload).text).toContain('【月度报表】2026年10月');
    expect(decodePayload(rows[1]!.payload).file?.mime).toBe('image/png');
  }, 60_000);
});

/**
 * November 2026 as seen on 11-25 10:00 (+08:00): complaints of each grade resolved on time,
 * resolved late, open past their deadline (late) and open before it (not yet due, undecided).
 */
async function seedNovember() {
  const db = h.db;
  const customer = await db.customer.findFirstOrThrow();
  let n = 0;
  const complaint = (grade: string, received: string, resolved: string | null) =>
    db.complaint.create({
      data: {
        number: `TS2611${String(++n).padStart(6, '0')}`, customerId: customer.id, channel: 'console', chatId: 'c1', receivedAt: t(`${received}+08:00`), customerName: '张',
        phone: '13800138000', recorder: '小安', content: '内容', category: 'quality', matter: 'quality:none', hadLoss: false, grade, level: 'contact',
        forwardedAt: t(`${received}+08:00`), resolvedAt: resolved ? t(`${resolved}+08:00`) : null, status: resolved ? 'resolved' : 'open',
      },
    });
  // 重大 (10 days): on time, late, open past 11-20 (late), open until 11-26 (not yet due).
  await complaint('major', '2026-11-02T09:00:00', '2026-11-10T09:00:00');
  await complaint('major', '2026-11-01T09:00:00', '2026-11-12T10:00:00');
  await complaint('major', '2026-11-10T09:00:00', null);
  await complaint('major', '2026-11-16T09:00:00', null);
  // 重要 (3 days): both open, due 11-26 and 11-27: nothing decided yet.
  await complaint('important', '2026-11-23T09:00:00', null);
  await complaint('important', '2026-11-24T12:00:00', null);
  // 轻微 (4 h): 3 h on time, 5 h late, open until 12:00 (not yet due).
  await complaint('minor', '2026-11-03T10:00:00', '2026-11-03T13:00:00');
  await complaint('minor', '2026-11-04T10:00:00', '2026-11-04T15:00:00');
  await complaint('minor', '2026-11-25T08:00:00', null);
}

const NOV = { from: t('2026-11-01T00:00:00+08:00'), to: t('2026-12-01T00:00:00+08:00'), label: '2026年11月' };
const NOV_25 = t('2026-11-25T10:00:00+08:00');

describe('on-time rates count decided cases only (DOMAIN §4)', () => {
  it('a rate is on time over on time + late; undecided open cases are pending, and no decided case is null', async () => {
    await seedNovember();
    const f = await new ReportRepository(h.db).figures(NOV, undefined, NOV_25);
    expect(f.complaints.byGrade.map(({ grade, count, resolved, resolvedOnTime, late, pending, onTimeRate }) => ({ grade, count, resolved, resolvedOnTime, late, pending, onTimeRate }))).toEqual([
      { grade: 'major', count: 4, resolved: 2, resolvedOnTime: 1, late: 2, pending: 1, onTimeRate: 1 / 3 },
      { grade: 'important', count: 2, resolved: 0, resolvedOnTime: 0, late: 0, pending: 2, onTimeRate: null },
      { grade: 'minor', count: 3, resolved: 2, resolvedOnTime: 1, late: 1, pending: 1, onTimeRate: 0.5 },
    ]);
    // The same month a week later: everything is decided.
    const later = await new ReportRepository(h.db).figures(NOV, undefined, t('2026-12-04T00:00:00+08:00'));
    expect(later.complaints.byGrade.map(({ grade, late, pending, onTimeRate }) => ({ grade, late, pending, onTimeRate }))).toEqual([
      { grade: 'major', late: 3, pending: 0, onTimeRate: 1 / 4 },
      { grade: 'important', late: 2, pending: 0, onTimeRate: 0 },
      { grade: 'minor', late: 2, pending: 0, onTimeRate: 1 / 3 },
    ]);
  });

  it('the text, the chart and the 汇总 sheet show the same figures, never 0 % for undecided cases', async () => {
    await seedNovember();
    h.clock.set('2026-11-25T10:00:00+08:00');
    const gm = h.room('managers', 'gm', '刘总');
    await gm.say('/join general-manager');
    const replies = await gm.say('/report 2026-11');
    expect(replies[0]!.text).toContain('按时处理率：重大 33.3%（未到期 1 件） · 重要 —（未到期 2 件） · 轻微 50%（未到期 1 件）');
    const f = await new ReportRepository(h.db).figures(NOV, undefined, NOV_25);
    expect(chartGrades(f).map((g) => g.rate)).toEqual([33.3, null, 50]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(replies[2]!.file!.data) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['投诉处理记录汇总表', '客户月回访信息登记表', '汇总', '派工单按部门汇总']);
    const ws = book.getWorksheet('汇总')!;
    const values = new Map<string, unknown>();
    ws.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('投诉件数')).toBe(9);
    expect(values.get('按时处理率（重大）')).toBeCloseTo(1 / 3, 6);
    expect(values.get('按时处理率（重要）')).toBe('—');
    expect(values.get('按时处理率（轻微）')).toBe(0.5);
    expect(['重大', '重要', '轻微'].map((g) => values.get(`按时处理件数（${g}）`))).toEqual([1, 0, 1]);
    expect(['重大', '重要', '轻微'].map((g) => values.get(`超时件数（${g}）`))).toEqual([2, 0, 1]);
    expect(['重大', '重要', '轻微'].map((g) => values.get(`未到期件数（${g}）`))).toEqual([1, 2, 1]);
  }, 30_000);
});

describe('the two forms as the seeds define their columns (附表三, 附表二)', () => {
  it('fills every column of 投诉处理记录汇总表 and 客户月回访信息登记表 from the records', async () => {
    const db = h.db;
    // Complaint 1's follow-up was answered "solved" (closed), complaint 2's "not solved" (reopened,
    // no callbackAt): both were called back. The 一般 answer of booking 2's survey became complaint 3.
    await db.complaint.update({ where: { number: 'TS2610000010' }, data: { solved: true, satisfied: true, callbackAt: t('2026-10-06T10:00:00+08:00'), callbackBy: '小安', status: 'closed' } });
    await db.complaint.update({ where: { number: 'TS2610000020' }, data: { solved: false, callbackAt: null } });
    const b2 = await db.booking.findFirstOrThrow({ where: { number: 'JZ2610010020' } });
    await db.survey.updateMany({ where: { bookingId: b2.id }, data: { complaintNumber: 'TS2610000030' } });

    const repo = new ReportRepository(h.db);
    const out = await buildWorkbook({ period: OCT, complaints: await repo.complaintRows(OCT), callbacks: await repo.callbackRows(OCT), zone: 'Asia/Shanghai' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(out.data) as unknown as ArrayBuffer);
    // Excel date-times carry Shanghai wall-clock time.
    const wall = (iso: string) => new Date(`${iso}Z`);
    const rows = (name: string) => {
      const ws = book.getWorksheet(name)!;
      const header = (ws.getRow(2).values as unknown[]).slice(1).map(String);
      return Array.from({ length: ws.actualRowCount - 2 }, (_, i) => Object.fromEntries(header.map((h, j) => [h, ws.getRow(i + 3).getCell(j + 1).value ?? null])));
    };

    // 领单部门: "—" until the departments model exists; 领单人 and 日期: who claimed it and when
    // (接单时间); 接收人 and 接收日期: who recorded it and when, for every row alike; 是否回访: the
    // follow-up was asked and answered.
    const row = (no: number, number: string, claimed: string, received: string, calledBack: string) => ({
      序号: no, 意见表编号: number, 客户单位: '张先生', 领单部门: '—', 领单人: '前台小李', 日期: wall(claimed), 接收人: '小安', 接收日期: wall(received), 是否回访: calledBack,
    });
    expect(rows('投诉处理记录汇总表')).toEqual([
      row(1, 'TS2610000010', '2026-10-05T10:10:00', '2026-10-05T10:00:00', '是'),
      row(2, 'TS2610000020', '2026-10-06T10:30:00', '2026-10-06T10:00:00', '是'),
      row(3, 'TS2610000030', '2026-10-10T09:20:00', '2026-10-10T09:00:00', '否'),
      row(4, 'TS2610000040', '2026-10-20T09:00:00', '2026-10-20T08:00:00', '否'),
    ]);

    const common = { '受(来)访人姓名': '张先生', 地址: maskAddress('阳光小区3栋501'), '受(来)访人联系电话': maskPhone('13800138000'), 服务项目: '日常保洁' };
    expect(rows('客户月回访信息登记表')).toEqual([
      { 序号: 1, ...common, 日期: wall('2026-10-03T15:00:00'), 访问人姓名: '在线客服', 访问方式: '在线回访', 回访信息记录: null, 信息处理记录: null, 服务质量: '基本满意', 服务是否及时: '及时', 回访满意度: '满意' },
      { 序号: 2, ...common, 日期: wall('2026-10-07T20:00:00'), 访问人姓名: '', 访问方式: '电话回访', 回访信息记录: '稍慢', 信息处理记录: '已转投诉 TS2610000030', 服务质量: '满意', 服务是否及时: '不及时', 回访满意度: '一般' },
    ]);
  });
});
