/**
 * The survey sweep finds due surveys by an index, not by scanning: the time to find a batch of
 * due surveys with 10,000, 100,000 and 1,000,000 completed bookings in the database (1 % due),
 * next to the same query forced to scan the table (the baseline, measured in the same run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openDb } from '../../src/store/db.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { SurveyRepository } from '../../src/store/surveys.ts';

export interface SweepSize {
  bookings: number;
  due: number;
  /** Median time the sweep takes to load one batch (200) of due surveys with their bookings, ms. */
  loadMs: number;
  /** Median time to find the batch's ids by the index, ms. */
  indexedMs: number;
  /** The same query with the index disabled (the column wrapped in an expression), ms. */
  scanMs: number;
}

const NOW = new Date('2026-11-25T06:00:00Z');
const BATCH = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Fills a migrated file with `count` completed bookings, each with its survey; 1 % are due. */
function seed(path: string, count: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
  db.prepare(`INSERT INTO "Customer" ("channel","platformUserId","locale","createdAt","updatedAt") VALUES ('console','bench','zh',?,?)`).run(iso(NOW), iso(NOW));
  const booking = db.prepare(
    `INSERT INTO "Booking" ("number","customerId","serviceCode","serviceName","start","address","contactName","salutation","phone","frequency","priceFen","unit","status","confirmKey","createdAt","updatedAt","visits")
     VALUES (?,1,'daily_cleaning','日常保洁',?,'阳光小区3栋501','张','先生','13800138000','once',5000,'小时','completed',?,?,?,1)`,
  );
  const survey = db.prepare(
    `INSERT INTO "Survey" ("bookingId","visit","customerId","channel","chatId","locale","completedAt","completedBy","status","dueAt","createdAt")
     VALUES (?,1,1,'console','bench','zh',?,'staff:1',?,?,?)`,
  );
  let due = 0;
  const insert = db.transaction(() => {
    for (let i = 1; i <= count; i += 1) {
      const completed = new Date(NOW.getTime() - (i % 5000) * 60_000);
      booking.run(`B${i}`, iso(completed), `k${i}`, iso(completed), iso(completed));
      const isDue = i % 100 === 0;
      if (isDue) due += 1;
      // 1 % due now; the rest answered (no next action) or scheduled for later.
      const dueAt = isDue ? iso(new Date(NOW.getTime() - 60_000)) : i % 3 === 0 ? iso(new Date(NOW.getTime() + 3_600_000)) : null;
      survey.run(i, iso(completed), isDue ? 'scheduled' : dueAt ? 'sent' : 'answered', dueAt, iso(completed));
    }
  });
  insert();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return due;
}

async function measure(count: number, template: string): Promise<SweepSize> {
  const dir = mkdtempSync(join(tmpdir(), 'jz-sweep-'));
  const path = join(dir, 'sweep.db');
  const { copyFileSync } = await import('node:fs');
  copyFileSync(template, path);
  const due = seed(path, count);
  const db = openDb({ url: `file:${path}` });
  try {
    const store = new SurveyRepository(db);
    const load: number[] = [];
    const indexed: number[] = [];
    const scan: number[] = [];
    const now = NOW.toISOString().replace('Z', '+00:00');
    for (let i = 0; i < 25; i += 1) {
      let t = performance.now();
      // A lease that has already expired leaves the batch claimable again: every round claims and loads the same rows.
      const found = await store.claimDue(NOW, BATCH, -1);
      load.push(performance.now() - t);
      if (found.length !== Math.min(BATCH, due)) throw new Error(`expected ${Math.min(BATCH, due)} due surveys, found ${found.length}`);
      t = performance.now();
      await db.$queryRaw`SELECT "id" FROM "Survey" WHERE "dueAt" <= ${now} ORDER BY "dueAt" LIMIT ${BATCH}`;
      indexed.push(performance.now() - t);
      t = performance.now();
      await db.$queryRaw`SELECT "id" FROM "Survey" WHERE "dueAt" || '' <= ${now} ORDER BY "dueAt" || '' LIMIT ${BATCH}`;
      scan.push(performance.now() - t);
    }
    const tail = (xs: number[]) => median(xs.slice(5));
    return { bookings: count, due, loadMs: tail(load), indexedMs: tail(indexed), scanMs: tail(scan) };
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSurveySweep(sizes = [10_000, 100_000, 1_000_000]): Promise<SweepSize[]> {
  const template = join(mkdtempSync(join(tmpdir(), 'jz-sweep-tpl-')), 'template.db');
  await migrateDatabase({ url: `file:${template}` });
  const results: SweepSize[] = [];
  for (const size of sizes) results.push(await measure(size, template));
  return results;
}
