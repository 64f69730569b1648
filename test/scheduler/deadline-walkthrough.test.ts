/**
 * A set clock walked through every grade's deadlines (DOMAIN §2 Time limits): the card posted to
 * the staff room, the watcher's escalations and what the customer is told must name the same
 * deadlines at the same times, and nothing escalates early or late.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { DeadlineWatcher } from '../../src/scheduler/deadline-watcher.ts';
import { ComplaintRepository } from '../../src/store/complaints.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const RECEIVED = '2026-11-23T14:00:00+08:00'; // a Monday

let h: Harness;
let watcher: DeadlineWatcher;
beforeEach(async () => {
  h = await createHarness({ now: RECEIVED });
  watcher = new DeadlineWatcher({
    store: new ComplaintRepository(h.db),
    company: h.company,
    complaints: loadSettings({}).complaints,
    clock: h.clock,
    log: silentLogger,
    m: messages('zh'),
  });
});
afterEach(async () => {
  await h.close();
});

/** Files a complaint as a customer types it; returns the customer's confirmation. */
async function file(text: string, loss: 'loss:n' | 'loss:y', prior: 'prior:0' | 'prior:2'): Promise<string> {
  const c = h.chat('wang');
  await c.say(text);
  await c.press(loss);
  if (loss === 'loss:y') await c.press('loss:u');
  await c.press(prior);
  await c.say('王先生');
  await c.say('13700001111');
  return c.text;
}

const posts = async (room: string) =>
  (await h.db.outbox.findMany({ where: { chatId: room }, orderBy: { id: 'asc' } })).map((r) => decodePayload(r.payload).text);
const allPosts = async () => (await h.db.outbox.findMany({ where: { kind: 'escalation' } })).length;

/** One deadline as the card shows it: its label, the instant, and the card's text of it. */
interface Step {
  label: string;
  due: string;
  shown: string;
  /** The room the escalation goes to (one level up). */
  to: string;
}

/**
 * Walks the clock to each deadline (not escalated at the deadline itself, nor a sweep before it)
 * and just after it (escalated once, naming the deadline and the time the card showed).
 */
async function walk(steps: Step[]) {
  for (const step of steps) {
    const due = new Date(step.due);
    const before = await allPosts();
    h.clock.set(new Date(due.getTime() - 60_000).toISOString());
    expect(await watcher.sweep(), `${step.label} a minute early`).toMatchObject({ escalated: 0 });
    h.clock.set(due.toISOString());
    expect(await watcher.sweep(), `${step.label} at its deadline`).toMatchObject({ escalated: 0 });
    expect(await allPosts()).toBe(before);
    h.clock.set(new Date(due.getTime() + 60_000).toISOString());
    expect(await watcher.sweep(), `${step.label} a minute late`).toMatchObject({ escalated: 1 });
    const last = (await posts(step.to)).at(-1);
    expect(last).toContain(`⚠ 已超时：${step.label}（期限 ${step.shown}）`);
    expect(await allPosts()).toBe(before + 1);
    expect(await watcher.sweep(), `${step.label} swept again`).toMatchObject({ escalated: 0 });
  }
}

function cardDeadlines(card: string | undefined): string {
  const line = card?.split('\n').find((l) => l.startsWith('期限：'));
  if (!line) throw new Error(`no deadline line in: ${card}`);
  return line;
}

describe('deadlines walked with a set clock (DOMAIN §2)', () => {
  it('轻微: claim within 15 min, resolve within 4 h; the card, the escalations and the customer agree', async () => {
    const told = await file('阿姨态度很差', 'loss:n', 'prior:0');
    const [card] = await posts('front-desk');
    expect(card).toContain('轻微 · 部门接口人');
    expect(cardDeadlines(card)).toBe('期限：认领 11月23日（周一）14:15 · 处理完毕 11月23日（周一）18:00');
    expect(told).not.toContain('轻微');
    expect(told).toContain('11月23日（周一）14:15前');
    expect(told).toContain('11月23日（周一）18:00前');
    await walk([
      { label: '认领', due: '2026-11-23T14:15:00+08:00', shown: '11月23日（周一）14:15', to: 'heads' },
      { label: '处理完毕', due: '2026-11-23T18:00:00+08:00', shown: '11月23日（周一）18:00', to: 'managers' },
    ]);
  });

  it('重要: claim within 1 h (the forward time on the card), coordinate in 12 h, resolve in 3 days', async () => {
    const told = await file('打扫得不干净', 'loss:y', 'prior:0');
    const [card] = await posts('heads');
    expect(card).toContain('重要 · 部门负责人');
    expect(cardDeadlines(card)).toBe(
      '期限：认领 11月23日（周一）15:00 · 协调 11月24日（周二）02:00 · 处理完毕 11月26日（周四）14:00',
    );
    expect(told).not.toContain('重要');
    expect(told).toContain('11月23日（周一）15:00前');
    expect(told).toContain('11月26日（周四）14:00前');
    await walk([
      { label: '认领', due: '2026-11-23T15:00:00+08:00', shown: '11月23日（周一）15:00', to: 'managers' },
      { label: '协调', due: '2026-11-24T02:00:00+08:00', shown: '11月24日（周二）02:00', to: 'managers' },
      { label: '处理完毕', due: '2026-11-26T14:00:00+08:00', shown: '11月26日（周四）14:00', to: 'managers' },
    ]);
  });

  it('重大: claim the same day, coordinate in 12 h, answer in 2 days, resolve in 10 days', async () => {
    const told = await file('打扫得不干净', 'loss:n', 'prior:2');
    const [card] = await posts('managers');
    expect(card).toContain('重大 · 总经理');
    expect(cardDeadlines(card)).toBe(
      '期限：认领 11月23日（周一）23:59 · 协调 11月24日（周二）02:00 · 答复客户 11月25日（周三）14:00 · 处理完毕 12月3日（周四）14:00',
    );
    expect(told).not.toContain('重大');
    expect(told).toContain('立即');
    expect(told).toContain('11月25日（周三）14:00前');
    expect(told).toContain('12月3日（周四）14:00前');
    // The walkthrough: nothing is due at 15:01 on a card whose claim time is 23:59.
    h.clock.set('2026-11-23T15:01:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 0 });
    await walk([
      { label: '认领', due: '2026-11-23T23:59:59.999+08:00', shown: '11月23日（周一）23:59', to: 'managers' },
      { label: '协调', due: '2026-11-24T02:00:00+08:00', shown: '11月24日（周二）02:00', to: 'managers' },
      { label: '答复客户', due: '2026-11-25T14:00:00+08:00', shown: '11月25日（周三）14:00', to: 'managers' },
      { label: '处理完毕', due: '2026-12-03T14:00:00+08:00', shown: '12月3日（周四）14:00', to: 'managers' },
    ]);
  });

  it('a claimed 重要 complaint escalates only on its resolve deadline', async () => {
    await file('打扫得不干净', 'loss:y', 'prior:0');
    const [row] = await h.db.complaint.findMany();
    const head = h.room('heads', 'head');
    await head.say('/join dept-head');
    await head.press(`claim:${row?.number}`);
    await walk([{ label: '处理完毕', due: '2026-11-26T14:00:00+08:00', shown: '11月26日（周四）14:00', to: 'managers' }]);
  });

  it("the report counts a resolution at the card's resolve time as on time and one a minute later as late", async () => {
    const NOV = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00'), label: '2026年11月' };
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    const resolveAt = async (customer: string, iso: string) => {
      h.clock.set(RECEIVED);
      const c = h.chat(customer);
      await c.say('阿姨态度很差');
      await c.press('loss:n');
      await c.press('prior:0');
      await c.say('王先生');
      await c.say('13700001111');
      const row = await h.db.complaint.findFirstOrThrow({ where: { chatId: customer }, orderBy: { id: 'desc' } });
      await desk.press(`claim:${row.number}`);
      h.clock.set(iso);
      await desk.press(`resolve:${row.number}`);
      await desk.say('已道歉');
      return row.number;
    };
    await resolveAt('wang', '2026-11-23T18:00:00+08:00'); // the card's 处理完毕 time
    await resolveAt('zhao', '2026-11-23T18:01:00+08:00');
    const f = await new ReportRepository(h.db).figures(NOV);
    expect(f.complaints.byGrade.find((g) => g.grade === 'minor')).toMatchObject({ count: 2, forwardedOnTime: 2, resolved: 2, resolvedOnTime: 1 });
  });
});
