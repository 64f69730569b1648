import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { DeadlineWatcher } from '../../src/scheduler/deadline-watcher.ts';
import { ComplaintRepository } from '../../src/store/complaints.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let watcher: DeadlineWatcher;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
  watcher = makeWatcher();
});
afterEach(async () => {
  await h.close();
});

function makeWatcher() {
  return new DeadlineWatcher({
    store: new ComplaintRepository(h.db),
    company: h.company,
    complaints: loadSettings({}).complaints,
    clock: h.clock,
    log: silentLogger,
    m: messages('zh'),
  });
}

async function fileComplaint(text: string, loss: 'loss:n' | 'loss:y' = 'loss:n') {
  const c = h.chat('wang');
  await c.say(text);
  await c.press(loss);
  if (loss === 'loss:y') await c.press('loss:u');
  await c.press('prior:0');
  await c.say('王先生');
  await c.say('13700001111');
  const [row] = await h.db.complaint.findMany();
  if (!row) throw new Error('no complaint');
  return row;
}

const at = (iso: string) => h.clock.set(iso);
const posts = async (room: string) =>
  (await h.db.outbox.findMany({ where: { chatId: room }, orderBy: { id: 'asc' } })).map((r) => decodePayload(r.payload).text);
const complaint = async () => h.db.complaint.findFirstOrThrow({ include: { events: { orderBy: { id: 'asc' } } } });

describe('the escalation ladder (DOMAIN §2)', () => {
  it('climbs contact -> department head -> general manager as deadlines pass, once per deadline', async () => {
    const row = await fileComplaint('阿姨态度很差');
    expect(row).toMatchObject({ grade: 'minor', level: 'contact' });
    // Minor: forward within 15 min (done at once), so claim by 10:15; resolve within 4 h (14:00).
    expect(row.nextDeadlineAt?.toISOString()).toBe('2026-11-23T02:15:00.000Z');
    at('2026-11-23T10:14:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ checked: 0, escalated: 0 });
    at('2026-11-23T10:16:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 1 });
    expect((await complaint()).level).toBe('department_head');
    const heads = await posts('heads');
    expect(heads).toHaveLength(1);
    expect(heads[0]).toContain('⚠ 已超时：认领（期限 11月23日（周一）10:15）');
    expect(heads[0]).toContain(`【投诉 ${row.number}】轻微 · 部门负责人`);
    at('2026-11-23T10:45:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 0 });
    at('2026-11-23T14:01:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 1 });
    const after = await complaint();
    expect(after.level).toBe('general_manager');
    expect((await posts('managers'))[0]).toContain('⚠ 已超时：处理完毕');
    expect(after.events.filter((e) => e.kind === 'escalated')).toHaveLength(2);
    // Now only the general manager may claim it.
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    await desk.press(`claim:${row.number}`);
    expect(desk.text).toContain('需要：总经理');
  });

  it('a claimed and resolved complaint stops climbing; a callback not made in 24 h is escalated', async () => {
    const row = await fileComplaint('阿姨态度很差');
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    await desk.press(`claim:${row.number}`);
    at('2026-11-23T11:00:00+08:00');
    await desk.press(`resolve:${row.number}`);
    await desk.say('已道歉并培训');
    at('2026-11-23T14:30:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 0 });
    at('2026-11-24T11:01:00+08:00');
    expect(await watcher.sweep()).toMatchObject({ escalated: 1 });
    expect((await posts('heads'))[0]).toContain('⚠ 已超时：处理后回访');
  });

  it('upgrades a valid complaint unresolved for a month to major and posts it to the general manager', async () => {
    const row = await fileComplaint('打扫得不干净', 'loss:y');
    expect(row.grade).toBe('important');
    const head = h.room('heads', 'head');
    await head.say('/join dept-head');
    await head.press(`claim:${row.number}`);
    at('2026-12-23T10:00:01+08:00');
    const result = await watcher.sweep();
    expect(result.upgraded).toBe(1);
    const after = await complaint();
    expect(after).toMatchObject({ grade: 'major', level: 'general_manager' });
    expect(after.events.find((e) => e.kind === 'upgraded')).toMatchObject({ fromGrade: 'important', toGrade: 'major', actor: 'system' });
    expect((await posts('managers')).some((p) => p.includes('自动升级为重大投诉'))).toBe(true);
  });

  it('two watchers sweeping at once escalate once', async () => {
    await fileComplaint('阿姨态度很差');
    at('2026-11-23T10:31:00+08:00');
    const [a, b] = await Promise.all([watcher.sweep(), makeWatcher().sweep()]);
    expect(a.escalated + b.escalated).toBe(1);
    expect(await posts('heads')).toHaveLength(1);
  });
});
