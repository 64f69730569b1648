/**
 * The report's spreadsheets (DOMAIN §4): 投诉处理记录汇总表 [002 附表三] and the month's
 * 客户月回访信息登记表 [002 附表二], one sheet each, then with the figures the 汇总 sheet and the
 * work orders by department (派工单按部门汇总, seed 002's 派工单), laid out as the seed tables: a merged title
 * row (table name and period), the seed's header row, one row per record.
 *
 * The seed text wraps narrow header cells ("客户 单位", "接收 日期", "受(来)访人 姓 名"); the
 * headers here are the seed's words with that layout whitespace removed.
 *
 * Dates are real Excel date-times showing the company zone's wall-clock time (Excel has no zones),
 * formatted yyyy-mm-dd hh:mm, so they sort and filter as dates.
 */
import ExcelJS from 'exceljs';
import { maskPersonalText } from '../../domain/privacy.ts';
import { tz } from '../../domain/zone.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures, ReportPeriod, WorkOrderFigures } from '../../contracts/reports.ts';
import { DeskError, ErrorCode } from '../../lib/errors.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const COMPLAINT_SHEET = '投诉处理记录汇总表';
export const CALLBACK_SHEET = '客户月回访信息登记表';
/** The figures the text report gives, one per row. */
const SUMMARY_SHEET = '汇总';
const WORK_ORDER_SHEET = '派工单按部门汇总';

/** 附表三, all nine columns in the seed's order. */
export const COMPLAINT_HEADERS = ['序号', '意见表编号', '客户单位', '领单部门', '领单人', '日期', '接收人', '接收日期', '是否回访'] as const;

/**
 * 附表二: 序号, then the seed form's fields in the seed's order (受(来)访人姓名 | 日期 | 地址 /
 * 访问人姓名 | 访问方式 | 受(来)访人联系电话 / 回访信息记录 / 信息处理记录 / 客户评价: 1、服务质量
 * 2、服务是否及时), then two columns the seed form lacks but the survey records: 服务项目 and the
 * survey's 满意/一般/不满意 answer (回访满意度).
 */
export const CALLBACK_HEADERS = [
  '序号',
  '受(来)访人姓名',
  '日期',
  '地址',
  '访问人姓名',
  '访问方式',
  '受(来)访人联系电话',
  '回访信息记录',
  '信息处理记录',
  '服务质量',
  '服务是否及时',
  '服务项目',
  '回访满意度',
] as const;

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const MAX_CELL_TEXT = 32_767; // Excel's limit per cell

const OVERALL: Record<string, string> = { satisfied: '满意', average: '一般', dissatisfied: '不满意' };
const QUALITY: Record<string, string> = { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' };
const TIMELINESS: Record<string, string> = { timely: '及时', average: '一般', late: '不及时' };

type Cell = string | number | Date | null;
type Kind = 'text' | 'number' | 'date' | 'center';
interface Column<R> {
  header: string;
  kind: Kind;
  /** Upper bound on the column width (characters); long free text gets cut off visually, not wrapped. */
  maxWidth?: number;
  value: (row: R, excelDate: (d: Date) => Date | null) => Cell;
}

// Characters XML 1.0 cannot carry (they would corrupt the file) and lone surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose.
const BAD_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).replace(BAD_XML, '');
  return s.length > MAX_CELL_TEXT ? s.slice(0, MAX_CELL_TEXT) : s;
}

/**
 * A free-text cell (the customer's words, an address, a note): phone numbers, ID-card numbers and
 * doors masked (DOMAIN §5), since the file leaves the customer's chat.
 */
function personal(v: string | null | undefined): string | null {
  const s = text(v);
  return s === null ? null : maskPersonalText(s);
}

const word = (map: Record<string, string>) => (v: string | null | undefined) => (v === null || v === undefined ? null : text(map[v] ?? v));

const COMPLAINT_COLUMNS: Column<ComplaintRecordRow>[] = [
  { header: '序号', kind: 'number', value: (r) => r.no },
  { header: '意见表编号', kind: 'text', value: (r) => text(r.formNumber) },
  { header: '客户单位', kind: 'text', maxWidth: 30, value: (r) => personal(r.customer) },
  { header: '领单部门', kind: 'text', maxWidth: 24, value: (r) => text(r.department) },
  { header: '领单人', kind: 'text', maxWidth: 16, value: (r) => text(r.handler) },
  { header: '日期', kind: 'date', value: (r, d) => (r.date ? d(r.date) : null) },
  { header: '接收人', kind: 'text', maxWidth: 16, value: (r) => text(r.receiver) },
  { header: '接收日期', kind: 'date', value: (r, d) => d(r.receivedAt) },
  { header: '是否回访', kind: 'center', value: (r) => (r.calledBack ? '是' : '否') },
];

const CALLBACK_COLUMNS: Column<CallbackRow>[] = [
  { header: '序号', kind: 'number', value: (r) => r.no },
  { header: '受(来)访人姓名', kind: 'text', maxWidth: 20, value: (r) => personal(r.customer) },
  { header: '日期', kind: 'date', value: (r, d) => d(r.date) },
  { header: '地址', kind: 'text', maxWidth: 36, value: (r) => personal(r.address) },
  { header: '访问人姓名', kind: 'text', maxWidth: 16, value: (r) => text(r.callbackBy) },
  { header: '访问方式', kind: 'text', maxWidth: 16, value: (r) => text(r.method) },
  { header: '受(来)访人联系电话', kind: 'text', value: (r) => personal(r.phone) },
  { header: '回访信息记录', kind: 'text', maxWidth: 48, value: (r) => personal(r.comment) },
  { header: '信息处理记录', kind: 'text', maxWidth: 40, value: (r) => personal(r.handling) },
  { header: '服务质量', kind: 'center', value: (r) => word(QUALITY)(r.quality) },
  { header: '服务是否及时', kind: 'center', value: (r) => word(TIMELINESS)(r.timeliness) },
  { header: '服务项目', kind: 'text', maxWidth: 20, value: (r) => text(r.service) },
  { header: '回访满意度', kind: 'center', value: (r) => word(OVERALL)(r.overall) },
];

const WORK_ORDER_COLUMNS: Column<WorkOrderFigures>[] = [
  { header: '部门', kind: 'text', maxWidth: 24, value: (r) => text(r.department) },
  { header: '派工数', kind: 'number', value: (r) => r.posted },
  { header: '接单数', kind: 'number', value: (r) => r.accepted },
  { header: '完成数', kind: 'number', value: (r) => r.completed },
  { header: '拒单次数', kind: 'number', value: (r) => r.declined },
  { header: '迟到报备', kind: 'number', value: (r) => r.lateNotices },
  { header: '未报备迟到', kind: 'number', value: (r) => r.lateUnannounced },
  { header: '平均接单用时（分钟）', kind: 'number', value: (r) => (r.acceptMinutes === null ? null : Math.round(r.acceptMinutes * 10) / 10) },
  { header: '24小时内回访', kind: 'number', value: (r) => r.calledBackIn24h },
];

/** Display width in Excel "characters": CJK and full-width forms take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000) ? 2 : 1;
  }
  return w;
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

function addSheet<R>(wb: ExcelJS.Workbook, name: string, period: ReportPeriod, columns: Column<R>[], rows: R[], excelDate: (d: Date) => Date | null): ExcelJS.Worksheet {
  const last = columnLetter(columns.length);
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });

  const values = rows.map((r) => columns.map((c) => c.value(r, excelDate)));

  // Column widths from the header and the longest value (dates show 16 characters).
  columns.forEach((c, i) => {
    let w = displayWidth(c.header);
    if (c.kind === 'date') w = Math.max(w, 16);
    else
      for (const row of values) {
        const v = row[i];
        if (v !== null && v !== undefined) w = Math.max(w, typeof v === 'string' ? displayWidth(v) : String(v).length);
      }
    const col = ws.getColumn(i + 1);
    col.width = Math.min(Math.max(w + 2, 6), c.maxWidth ?? 60);
    if (c.kind === 'date') col.numFmt = DATE_FORMAT;
    if (c.kind === 'center' || c.kind === 'date' || c.kind === 'number') col.alignment = { horizontal: 'center', vertical: 'middle' };
    else col.alignment = { vertical: 'middle' };
  });

  const title = ws.addRow([`${name}（${period.label}）`]);
  ws.mergeCells(`A1:${last}1`);
  title.height = 30;
  const t = ws.getCell('A1');
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center', vertical: 'middle' };

  const header = ws.addRow(columns.map((c) => c.header));
  header.height = 22;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF3' } };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };

  ws.addRows(values);
  return ws;
}

const GRADE_LABEL = { major: '重大', important: '重要', minor: '轻微' } as const;

/** One row of the 汇总 sheet: a figure's name, its value ("—" when there is none), and whether it is a rate. */
type SummaryRow = [name: string, value: number | string, rate?: boolean];

/**
 * The figures of the text report (ReportFigures, the one source of the text, the chart and this
 * sheet): rates as numbers shown as percentages, "—" where no case is decided.
 */
function summaryRows(f: ReportFigures): SummaryRow[] {
  const rate = (name: string, v: number | null): SummaryRow => [name, v === null || !Number.isFinite(v) ? '—' : v, true];
  const value = (name: string, v: number | null): SummaryRow => [name, v === null || !Number.isFinite(v) ? '—' : Math.round(v * 10) / 10];
  const c = f.complaints;
  const rows: SummaryRow[] = [['投诉件数', c.total]];
  for (const g of c.byGrade) rows.push([`投诉件数（${GRADE_LABEL[g.grade]}）`, g.count]);
  for (const g of c.byGrade) {
    const label = GRADE_LABEL[g.grade];
    rows.push(
      rate(`按时处理率（${label}）`, g.onTimeRate),
      [`按时处理件数（${label}）`, g.resolvedOnTime],
      [`超时件数（${label}）`, g.late],
      [`未到期件数（${label}）`, g.pending],
      [`按时转交件数（${label}）`, g.forwardedOnTime],
    );
  }
  const cb = f.callbacks;
  rows.push(
    value('响应时间中位（分钟）', c.responseMinutes.median),
    value('响应时间P90（分钟）', c.responseMinutes.p90),
    value('处理时长中位（小时）', c.resolutionHours.median),
    value('处理时长P90（小时）', c.resolutionHours.p90),
    rate('服务完成率', f.bookings.completionRate),
    ['完成预约数', f.bookings.completed],
    ['预约数', f.bookings.total],
    rate('3天内回访率', cb.rate),
    ['3天内回访数', cb.doneWithin3Days],
    ['应回访数', cb.due],
    rate('满意度', cb.satisfactionRate),
    ['满意', cb.overall.satisfied],
    ['一般', cb.overall.average],
    ['不满意', cb.overall.dissatisfied],
    ['服务质量 满意', cb.quality.satisfied],
    ['服务质量 基本满意', cb.quality.basic],
    ['服务质量 不满意', cb.quality.dissatisfied],
    ['服务及时 及时', cb.timeliness.timely],
    ['服务及时 一般', cb.timeliness.average],
    ['服务及时 不及时', cb.timeliness.late],
  );
  if (f.previous) rows.push(['上期投诉件数', f.previous.complaints.total]);
  return rows;
}

const SUMMARY_COLUMNS: Column<SummaryRow>[] = [
  { header: '项目', kind: 'text', value: (r) => r[0] },
  { header: '数值', kind: 'center', value: (r) => r[1] },
];

function addSummarySheet(wb: ExcelJS.Workbook, f: ReportFigures, excelDate: (d: Date) => Date | null): void {
  const rows = summaryRows(f);
  const ws = addSheet(wb, SUMMARY_SHEET, f.period, SUMMARY_COLUMNS, rows, excelDate);
  rows.forEach((r, i) => {
    if (r[2] && typeof r[1] === 'number') ws.getCell(i + 3, 2).numFmt = '0.0%';
  });
}

/** The wall-clock time in `zone` as an Excel date (Excel date-times carry no zone). */
function excelDateIn(zone: string): (d: Date) => Date | null {
  const z = tz(zone);
  if (!z.isValid) throw new DeskError(ErrorCode.InvalidArgument, `buildWorkbook: unknown time zone "${zone}"`);
  return (d) => {
    const ms = d instanceof Date ? d.getTime() : NaN;
    if (!Number.isFinite(ms)) return null;
    return new Date(ms + z.offset(ms) * 60_000);
  };
}

function fileSafe(label: string): string {
  return label.replace(/[^\p{L}\p{N}-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'report';
}

/** 投诉处理记录汇总表 and 客户月回访信息登记表 for the period, as one .xlsx. */
export async function buildWorkbook(opts: {
  period: ReportPeriod;
  complaints: ComplaintRecordRow[];
  callbacks: CallbackRow[];
  /** The report's figures, for the 汇总 sheet (none without them). */
  figures?: ReportFigures;
  /** The company time zone (IANA name) the dates are shown in. */
  zone: string;
}): Promise<{ name: string; mime: typeof XLSX_MIME; data: Uint8Array }> {
  const excelDate = excelDateIn(opts.zone);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jiazheng-desk';
  wb.title = `${COMPLAINT_SHEET}、${CALLBACK_SHEET}（${opts.period.label}）`;
  addSheet(wb, COMPLAINT_SHEET, opts.period, COMPLAINT_COLUMNS, opts.complaints, excelDate);
  addSheet(wb, CALLBACK_SHEET, opts.period, CALLBACK_COLUMNS, opts.callbacks, excelDate);
  if (opts.figures) {
    addSummarySheet(wb, opts.figures, excelDate);
    addSheet(wb, WORK_ORDER_SHEET, opts.period, WORK_ORDER_COLUMNS, opts.figures.workOrders, excelDate);
  }
  const buf = await wb.xlsx.writeBuffer();
  const data = buf instanceof Uint8Array ? buf : new Uint8Array(buf as ArrayBuffer);
  return {
    name: `投诉与回访登记表-${fileSafe(opts.period.label)}.xlsx`,
    mime: XLSX_MIME,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}
