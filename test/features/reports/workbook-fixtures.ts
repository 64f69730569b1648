/** Rows and helpers shared by the workbook tests (workbook.test.ts, workbook.slow.test.ts). */
import ExcelJS from 'exceljs';
import type { CallbackRow, ComplaintRecordRow } from '../../../src/contracts/reports.ts';

export const zone = 'Asia/Shanghai';
/** October 2026 in Shanghai. */
export const period = { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z'), label: '2026年10月' };

/** Three complaint records of October 2026, one of them dated across midnight in Shanghai. */
export const complaints: ComplaintRecordRow[] = [
  { no: 1, formNumber: 'T-20261003-0001', customer: '王女士', department: '日常保洁', handler: '李四', date: new Date('2026-10-03T01:05:00Z'), receiver: '前台张三', receivedAt: new Date('2026-10-03T01:20:00Z'), calledBack: true },
  // 23:30 UTC on 10-10 is 07:30 on 10-11 in Shanghai.
  { no: 2, formNumber: 'T-20261011-0002', customer: '陈先生', department: '室内消杀', handler: '', date: new Date('2026-10-10T23:30:00Z'), receiver: '前台张三', receivedAt: new Date('2026-10-10T23:45:00Z'), calledBack: false },
  { no: 3, formNumber: 'T-20261020-0003', customer: '赵女士', department: '未关联预约', handler: '王五', date: new Date('2026-10-20T06:00:00Z'), receiver: '客服小刘', receivedAt: new Date('2026-10-20T06:10:00Z'), calledBack: true },
];
/** Two callback rows, one with a control character in its comment. */
export const callbacks: CallbackRow[] = [
  { no: 1, date: new Date('2026-10-05T02:00:00Z'), customer: '王女士', phone: '138****1234', service: '日常保洁', overall: 'satisfied', quality: 'satisfied', timeliness: 'timely', comment: '阿姨很细心', callbackBy: '客服小刘', method: '在线回访', address: '浦东新区****' },
  { no: 2, date: new Date('2026-10-12T09:30:00Z'), customer: '陈先生', phone: '139****5678', service: '室内消杀', overall: 'average', quality: 'basic', timeliness: 'late', comment: '来晚了\u0007半小时', callbackBy: '客服小刘', method: '电话回访', handling: '已转投诉 T-20261013-0004' },
];

/** A sheet's header row (row 2, under the title). */
export const headerRow = (ws: ExcelJS.Worksheet) => (ws.getRow(2).values as unknown[]).slice(1);

/** Reads a built workbook back with ExcelJS. */
export async function load(data: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  return wb;
}
