/**
 * Manager reports: the time to compute a month's figures with 1,000,000 complaints and 1,000,000
 * callbacks in the database (spread over 25 months, so a month holds about 40,000 of each), and
 * the time to build the chart and the spreadsheet for a month of 10,000 complaints.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { renderCharts } from '../../src/features/reports/chart.ts';
import type { CallbackRow, ComplaintRecordRow } from '../../src/contracts/reports.ts';
import { buildWorkbook } from '../../src/features/reports/workbook.ts';
import { openDb } from '../../src/store/db.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { ReportRepository } from '../../src/store/reports.ts';

export interface ReportBenchResult {
  complaints: number;
  callbacks: number;
  monthComplaints: number;
  figuresMs: number;
  chartMs: number;
  workbookMs: number;
  workbookRows: number;
}

const START = Date.parse('2024-11-01T00:00:00+08:00');
const SPAN = Date.parse('2026-12-01T00:00:00+08:00') - START;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
const GRADES = ['major', 'important', 'minor'];
const CATEGORIES = ['no_show', 'late', 'quality', 'damage', 'loss', 'attitude', 'price', 'safety', 'other'];
const OVERALL = ['satisfied', 'satisfied', 'satisfied', 'average', 'dissatisfied'];

function seed(path: string, count: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.prepare(`INSERT INTO "Customer" ("channel","platformUserId","locale","createdAt","updatedAt") VALUES ('console','bench','zh',?,?)`).run(iso(START), iso(START));
  const booking = db.prepare(
    `INSERT INTO "Booking" ("number","customerId","serviceCode","serviceName","start","address","contactName","salutation","phone","frequency","priceFen","unit","status","confirmKey","createdAt","updatedAt","visits")
     VALUES (?,1,'daily_cleaning','日常保洁',?,'阳光小区3栋501','张','先生','13800138000','once',5000,'小时','completed',?,?,?,1)`,
  );
  const survey = db.prepare(
    `INSERT INTO "Survey" ("bookingId","visit","customerId","channel","chatId","locale","completedAt","completedBy","status","answeredAt","answeredBy","overall","quality","timeliness","createdAt")
     VALUES (?,1,1,'console','bench','zh',?,'staff:1','answered',?,'customer',?,'satisfied','timely',?)`,
  );
  const complaint = db.prepare(
    `INSERT INTO "Complaint" ("number","customerId","bookingId","channel","chatId","locale","receivedAt","customerName","recorder","content","category","matter","hadLoss","priorCount","grade","groupFlag","status","level","forwardedAt","claimedAt","resolvedAt","handler","version","createdAt","updatedAt")
     VALUES (?,1,?,'console','bench','zh',?,'张','小安','内容',?,'x',0,0,?,0,?,'contact',?,?,?,'前台',0,?,?)`,
  );
  db.transaction(() => {
    for (let i = 1; i <= count; i += 1) {
      const at = START + Math.floor((i / count) * SPAN);
      booking.run(`B${i}`, iso(at), `k${i}`, iso(at), iso(at));
      survey.run(i, iso(at), iso(at + 3_600_000 * (1 + (i % 90))), OVERALL[i % OVERALL.length], iso(at));
      const resolved = i % 4 !== 0;
      complaint.run(`T${i}`, i, iso(at), CATEGORIES[i % CATEGORIES.length], GRADES[i % 3], resolved ? 'resolved' : 'claimed', iso(at), iso(at + 60_000 * (5 + (i % 60))), resolved ? iso(at + 3_600_000 * (1 + (i % 100))) : null, iso(at), iso(at));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

export async function benchReports(count = 1_000_000): Promise<ReportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jz-report-'));
  const template = join(dir, 'template.db');
  await migrateDatabase({ url: `file:${template}` });
  const path = join(dir, 'report.db');
  copyFileSync(template, path);
  seed(path, count);
  const db = openDb({ url: `file:${path}` });
  try {
    const store = new ReportRepository(db);
    const october = { from: new Date('2026-10-01T00:00:00+08:00'), to: new Date('2026-11-01T00:00:00+08:00'), label: '2026年10月' };
    const september = { from: new Date('2026-09-01T00:00:00+08:00'), to: new Date('2026-10-01T00:00:00+08:00'), label: '2026年9月' };
    await store.figures(october, september); // warm-up
    const runs: number[] = [];
    let figures = await store.figures(october, september);
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      figures = await store.figures(october, september);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    // Rendering: the chart of those figures, and the spreadsheet of 10,000 complaints and callbacks.
    const rows = 10_000;
    const complaints: ComplaintRecordRow[] = Array.from({ length: rows }, (_, i) => ({
      no: i + 1, formNumber: `TS2610${String(i).padStart(6, '0')}`, customer: '张先生', department: '日常保洁', handler: '前台小李',
      date: new Date(october.from.getTime() + i * 60_000), receiver: '小安', receivedAt: new Date(october.from.getTime() + i * 60_000 + 600_000), calledBack: i % 2 === 0,
    }));
    const callbacks: CallbackRow[] = Array.from({ length: rows }, (_, i) => ({
      no: i + 1, date: new Date(october.from.getTime() + i * 60_000), customer: '张先生', phone: '138****8000', service: '日常保洁',
      overall: 'satisfied', quality: 'basic', timeliness: 'timely', comment: i % 10 === 0 ? '很好' : null, callbackBy: '在线回访',
    }));
    await renderCharts(figures); // loads the font once
    let t = performance.now();
    await renderCharts(figures);
    const chartMs = performance.now() - t;
    t = performance.now();
    await buildWorkbook({ period: october, complaints, callbacks, zone: 'Asia/Shanghai' });
    const workbookMs = performance.now() - t;
    return {
      complaints: count,
      callbacks: count,
      monthComplaints: figures.complaints.total,
      figuresMs: runs[Math.floor(runs.length / 2)] ?? 0,
      chartMs,
      workbookMs,
      workbookRows: rows,
    };
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
