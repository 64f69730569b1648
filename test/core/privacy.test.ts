/**
 * DOMAIN §5: phone numbers, ID-card numbers and addresses a customer types are masked in every
 * text that leaves the customer's own chat (staff posts, report files).
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkbook } from '../../src/features/reports/workbook.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const NOW = '2026-11-23T10:00:00+08:00';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});

/** Every outbox row not addressed to `customerChat`, as text. */
async function staffPosts(customerChat: string): Promise<string> {
  const rows = await h.db.outbox.findMany({ where: { chatId: { not: customerChat } }, orderBy: { id: 'asc' } });
  return rows.map((r) => decodePayload(r.payload).text).join('\n');
}

describe('free text leaving the customer\'s chat', () => {
  it('masks a phone number, an ID-card number and an address typed into a complaint in the staff posts', async () => {
    const c = h.chat('zhang');
    await c.say('阿姨没来，电话13812345678，地址阳光小区3栋501，身份证110101199003071234');
    for (let i = 0; i < 6 && !/TS\d{10}/.test(c.text); i += 1) {
      const b = c.buttons[0];
      if (b) await c.press(b.action);
      else if (/怎么称呼|姓/.test(c.text)) await c.say('张先生');
      else if (/电话|手机/.test(c.text)) await c.say('13900001111');
      else await c.say('没有');
    }
    expect(c.text).toMatch(/TS\d{10}/);
    const [row] = await h.db.complaint.findMany();
    expect(row?.content).toContain('13812345678'); // kept as typed, for the company's own record
    const posts = await staffPosts('zhang');
    expect(posts).toContain(row?.number);
    expect(posts).toContain('138****5678');
    expect(posts).not.toContain('13812345678');
    expect(posts).not.toContain('3栋501');
    expect(posts).not.toContain('110101199003071234');
  });

  it('keeps full addresses and typed phone numbers out of the report spreadsheet', async () => {
    const db = h.db;
    const customer = await db.customer.create({ data: { channel: 'console', platformUserId: 'c1', name: '张', salutation: '先生', phone: '13800138000' } });
    const booking = await db.booking.create({
      data: {
        number: 'JZ2610010010', customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date('2026-10-03T01:00:00Z'),
        address: '阳光小区3栋2单元501', contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000, unit: '小时', confirmKey: 'k1', status: 'completed', visits: 1,
      },
    });
    await db.survey.create({
      data: {
        bookingId: booking.id, visit: 1, customerId: customer.id, channel: 'console', chatId: 'c1', completedAt: new Date('2026-10-03T04:00:00Z'), completedBy: 'staff:1',
        status: 'answered', answeredAt: new Date('2026-10-03T07:00:00Z'), answeredBy: 'customer', overall: 'average', quality: 'basic', timeliness: 'late',
        comment: '下次请先打13812345678，我搬到了幸福里5栋1202',
      },
    });
    const period = { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z'), label: '2026年10月' };
    const reports = new ReportRepository(db);
    const callbacks = await reports.callbackRows(period);
    expect(callbacks[0]?.address).toBe('阳光小区****');
    const file = await buildWorkbook({ period, complaints: await reports.complaintRows(period), callbacks, zone: 'Asia/Shanghai' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.data) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((cell) => cells.push(String(cell.value)))));
    const all = cells.join('\n');
    expect(all).toContain('阳光小区****');
    expect(all).toContain('138****5678');
    for (const secret of ['3栋2单元501', '2单元501', '13812345678', '13800138000', '5栋1202']) expect(all).not.toContain(secret);
  });
});
