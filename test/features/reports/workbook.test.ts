import { describe, expect, it } from 'vitest';
import { CALLBACK_HEADERS, CALLBACK_SHEET, COMPLAINT_HEADERS, COMPLAINT_SHEET, XLSX_MIME, buildWorkbook } from '../../../src/features/reports/workbook.ts';
import { callbacks, complaints, headerRow, load, period, zone } from './workbook-fixtures.ts';

// The header lines as the seed text has them (shared/seeds/002, 附表三 and 附表二). The spaces inside
// cells are the seed's line wraps of narrow cells; the sheet's headers are the same words without them.
const SEED_附表三 = '序号 | 意见表编号 | 客户 单位 | 领单 部门 | 领单人 | 日期 | 接收人 | 接收 日期 | 是否 回访 |';
const SEED_附表二 = [
  '受(来)访人 姓 名 | 日 期 | 地 址 | |||',
  '访 问 人 姓 名 | 访 问方 式 | 受(来)访人联系电话 | |||',
  '回访信息记录: | |||||',
  '信息处理记录:',
  '客户评价: 1、服务质量: □满意 □基本满意 □满意 2、服务是否及时: □及时 □一般 □不及时',
];
const cells = (line: string) => line.split('|').map((s) => s.replace(/\s+/g, '').replace(/[:：]$/, '')).filter(Boolean);

describe('report workbook (附表三, 附表二)', () => {
  it('has the seed headers', () => {
    expect(COMPLAINT_HEADERS).toEqual(cells(SEED_附表三));
    expect([...COMPLAINT_HEADERS]).toEqual(['序号', '意见表编号', '客户单位', '领单部门', '领单人', '日期', '接收人', '接收日期', '是否回访']);
    // 序号, the form's fields in the seed's order, 客户评价's two questions, then the two extra columns.
    const form = SEED_附表二.slice(0, 4).flatMap(cells);
    expect(form).toEqual(['受(来)访人姓名', '日期', '地址', '访问人姓名', '访问方式', '受(来)访人联系电话', '回访信息记录', '信息处理记录']);
    expect(SEED_附表二[4]).toContain('1、服务质量');
    expect(SEED_附表二[4]).toContain('2、服务是否及时');
    expect([...CALLBACK_HEADERS]).toEqual(['序号', ...form, '服务质量', '服务是否及时', '服务项目', '回访满意度']);
  });

  it('builds both sheets and reads back', async () => {
    const out = await buildWorkbook({ period, complaints, callbacks, zone });
    expect(out.mime).toBe(XLSX_MIME);
    expect(out.name).toBe('投诉与回访登记表-2026年10月.xlsx');
    expect([...out.data.subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip

    const wb = await load(out.data);
    expect(wb.worksheets.map((w) => w.name)).toEqual([COMPLAINT_SHEET, CALLBACK_SHEET]);
    expect([COMPLAINT_SHEET, CALLBACK_SHEET]).toEqual(['投诉处理记录汇总表', '客户月回访信息登记表']);

    const c = wb.getWorksheet(COMPLAINT_SHEET)!;
    expect(c.getCell('A1').value).toBe('投诉处理记录汇总表（2026年10月）');
    expect(c.getCell('A1').isMerged && c.getCell('I1').isMerged).toBe(true);
    expect(c.getCell('I1').master.address).toBe('A1');
    expect(headerRow(c)).toEqual([...COMPLAINT_HEADERS]);
    expect(c.getRow(2).getCell(1).font?.bold).toBe(true);
    expect(c.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(c.actualRowCount).toBe(2 + complaints.length);
    expect(c.getRow(3).getCell(2).value).toBe('T-20261003-0001');
    expect(c.getRow(3).getCell(3).value).toBe('王女士');
    expect(c.getRow(3).getCell(9).value).toBe('是');
    expect(c.getRow(4).getCell(9).value).toBe('否');
    expect(c.getRow(5).getCell(1).value).toBe(3);
    // Dates are Excel date-times showing Shanghai wall-clock time.
    const d = c.getRow(4).getCell(6);
    expect(d.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect((d.value as Date).toISOString()).toBe('2026-10-11T07:30:00.000Z');
    expect((c.getRow(3).getCell(8).value as Date).toISOString()).toBe('2026-10-03T09:20:00.000Z');
    for (let i = 1; i <= COMPLAINT_HEADERS.length; i++) expect(c.getColumn(i).width).toBeGreaterThanOrEqual(6);
    expect(c.getColumn(6).width).toBeGreaterThanOrEqual(16);

    const r = wb.getWorksheet(CALLBACK_SHEET)!;
    expect(r.getCell('A1').value).toBe('客户月回访信息登记表（2026年10月）');
    expect(headerRow(r)).toEqual([...CALLBACK_HEADERS]);
    expect(r.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(r.actualRowCount).toBe(2 + callbacks.length);
    const row = (n: number) => Object.fromEntries(CALLBACK_HEADERS.map((h, i) => [h, r.getRow(n).getCell(i + 1).value]));
    expect(row(3)).toMatchObject({ 序号: 1, '受(来)访人姓名': '王女士', 地址: '浦东新区****', 访问人姓名: '客服小刘', 访问方式: '在线回访', '受(来)访人联系电话': '138****1234', 回访信息记录: '阿姨很细心', 服务质量: '满意', 服务是否及时: '及时', 服务项目: '日常保洁', 回访满意度: '满意' });
    expect(row(4)).toMatchObject({ 服务质量: '基本满意', 服务是否及时: '不及时', 回访满意度: '一般', 信息处理记录: '已转投诉 T-20261013-0004', 回访信息记录: '来晚了半小时' });
    expect(row(4).地址 ?? null).toBeNull();
    expect((r.getRow(4).getCell(3).value as Date).toISOString()).toBe('2026-10-12T17:30:00.000Z');
  });

  it('builds an empty workbook with just the titles and headers', async () => {
    const wb = await load((await buildWorkbook({ period, complaints: [], callbacks: [], zone })).data);
    expect(wb.worksheets.map((w) => [w.name, w.actualRowCount])).toEqual([[COMPLAINT_SHEET, 2], [CALLBACK_SHEET, 2]]);
  });

  it('leaves 日期 empty for a complaint nobody has claimed yet (接收日期 is always when it was recorded)', async () => {
    const open = { ...complaints[0]!, handler: '', department: '—', date: null };
    const c = (await load((await buildWorkbook({ period, complaints: [open], callbacks: [], zone })).data)).getWorksheet(COMPLAINT_SHEET)!;
    expect([4, 5, 6].map((i) => c.getRow(3).getCell(i).value ?? null)).toEqual(['—', '', null]);
    expect((c.getRow(3).getCell(8).value as Date).toISOString()).toBe('2026-10-03T09:20:00.000Z');
  });

  it('refuses an unknown zone', async () => {
    await expect(buildWorkbook({ period, complaints, callbacks, zone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
  });
});
