/**
 * Invite codes cannot be guessed (lockout after 5 wrong codes in 15 minutes, by user and by group
 * chat, held in the database across restarts), every join and refusal is logged, prototype keys
 * are ordinary wrong codes, and managers see who joined and revoke staff roles.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
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

const minutes = (n: number) => n * 60_000;

describe('/join lockout', () => {
  it('locks a user out after 5 wrong codes in 15 minutes, for 15 minutes, across a restart', async () => {
    const c = h.chat('guesser');
    for (let i = 0; i < 5; i += 1) {
      await c.say(`/join guess${i}`);
      expect(c.text).toBe('邀请码不正确。');
      h.clock.advance(minutes(1));
    }
    // 10:05: the 5th wrong code was at 10:04, so /join is closed until 10:19, the right code too.
    h.restart();
    await c.say('/join general-manager');
    expect(c.text).toContain('尝试次数过多');
    expect(c.text).toContain('10:19');
    expect(await h.db.staff.count()).toBe(0);
    h.clock.set('2026-11-23T10:18:59+08:00');
    await c.say('/join general-manager');
    expect(c.text).toContain('10:19');
    h.clock.set('2026-11-23T10:19:00+08:00');
    await c.say('/join general-manager');
    expect(c.text).toContain('已加入，身份：总经理');
  });

  it('does not lock out for 5 wrong codes spread over more than 15 minutes', async () => {
    const c = h.chat('slow');
    for (let i = 0; i < 5; i += 1) {
      await c.say(`/join guess${i}`);
      h.clock.advance(minutes(4));
    }
    await c.say('/join front-desk');
    expect(c.text).toContain('已加入，身份：前台客服');
  });

  it('locks a group chat after 5 wrong codes from anyone in it; other chats still join', async () => {
    for (let i = 0; i < 5; i += 1) await h.room('lobby', `member${i}`).say(`/join nope${i}`);
    const newcomer = h.room('lobby', 'newcomer');
    await newcomer.say('/join front-desk');
    expect(newcomer.text).toContain('尝试次数过多');
    expect(newcomer.text).toContain('10:15');
    // The same person in a private chat, and another group, are not locked.
    const alone = h.chat('newcomer');
    await alone.say('/join front-desk');
    expect(alone.text).toContain('已加入');
    const other = h.room('heads', 'boss');
    await other.say('/join dept-head');
    expect(other.text).toContain('已加入');
  });

  it('records every attempt in the database with its outcome', async () => {
    const c = h.chat('u9');
    await c.say('/join wrong-code-1');
    await c.say('/join front-desk');
    const rows = await h.db.joinAttempt.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.channel, r.userId, r.chatId, r.result])).toEqual([
      ['console', 'u9', 'u9', 'wrong_code'],
      ['console', 'u9', 'u9', 'joined'],
    ]);
  });
});

describe('/join with prototype keys', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('/join %s is a wrong code', async (key) => {
    const c = h.chat();
    await c.say(`/join ${key}`);
    expect(c.text).toBe('邀请码不正确。');
    expect(await h.db.staff.count()).toBe(0);
  });

  it('counts prototype keys as failed attempts', async () => {
    const c = h.chat();
    for (const key of ['constructor', '__proto__', 'toString', 'valueOf', 'isPrototypeOf']) await c.say(`/join ${key}`);
    await c.say('/join front-desk');
    expect(c.text).toContain('尝试次数过多');
  });

  it('is a wrong code with configured codes too', async () => {
    const complaints = loadSettings({ STAFF_INVITE_CODES: 'front_desk=Desk2026abcdef' }).complaints;
    await h.close();
    h = await createHarness({ now: NOW, complaints });
    const c = h.chat('t1', 'telegram');
    await c.say('/join constructor');
    expect(c.text).toBe('邀请码不正确。');
    await c.say('/join Desk2026abcdef');
    expect(c.text).toContain('已加入，身份：前台客服');
  });
});

describe('/join logging', () => {
  it('logs every join and every refusal at warn with user, chat and reason, never the code', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const settings = loadSettings({});
    h.core = new DialogueCore({
      store: new PrismaCoreStore(h.db),
      company: h.company,
      clock: h.clock,
      log: pino({ level: 'trace' }, sink),
      complaints: settings.complaints,
      survey: settings.survey,
    });
    const room = h.room('lobby', 'guesser');
    for (let i = 0; i < 5; i += 1) await room.say(`/join secret-guess-${i}`);
    await room.say('/join front-desk');
    await h.chat('okuser').say('/join on-site');
    const joins = lines.filter((l) => /join/i.test(String(l.msg)));
    expect(joins).toHaveLength(7);
    for (const l of joins) expect(l.level).toBe(40);
    expect(joins.slice(0, 5).map((l) => [l.channel, l.userId, l.chatId, l.reason])).toEqual(
      Array.from({ length: 5 }, () => ['console', 'guesser', 'lobby', 'wrong_code']),
    );
    expect(joins[5]).toMatchObject({ channel: 'console', userId: 'guesser', chatId: 'lobby', reason: 'locked_out' });
    expect(joins[6]).toMatchObject({ channel: 'console', userId: 'okuser', chatId: 'okuser', role: 'on_site' });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('secret-guess');
    expect(all).not.toContain('front-desk');
    expect(all).not.toContain('on-site');
  });
});

describe('/staff and /revoke', () => {
  async function joined(room: string, user: string, code: string, name: string) {
    const s = h.room(room, user, name);
    await s.say(`/join ${code}`);
    expect(s.text).toContain('已加入');
    return s;
  }

  it('lists who joined for managers and refuses others', async () => {
    const gm = await joined('managers', 'gm', 'general-manager', '王总');
    h.clock.advance(minutes(5));
    const desk = await joined('front-desk', 'desk', 'front-desk', '小李');
    await gm.say('/staff');
    expect(gm.text).toContain('王总');
    expect(gm.text).toContain('总经理');
    expect(gm.text).toContain('小李');
    expect(gm.text).toContain('前台客服');
    expect(gm.text).toContain('console');
    expect(gm.text).toContain('11月23日（周一）10:05');
    await desk.say('/staff');
    expect(desk.text).toContain('只有部门负责人和总经理');
    expect(desk.text).not.toContain('王总');
    const stranger = h.chat('stranger');
    await stranger.say('/staff');
    expect(stranger.text).toContain('只有部门负责人和总经理');
  });

  it('revokes a staff role by its number in /staff, and only a manager may', async () => {
    const head = await joined('heads', 'head', 'dept-head', '赵主管');
    const desk = await joined('front-desk', 'desk', 'front-desk', '小李');
    const deskRow = await h.db.staff.findFirstOrThrow({ where: { platformUserId: 'desk' } });
    const headRow = await h.db.staff.findFirstOrThrow({ where: { platformUserId: 'head' } });
    await desk.say(`/revoke ${headRow.id}`);
    expect(desk.text).toContain('只有部门负责人和总经理');
    await head.say('/staff');
    expect(head.text).toContain(`${deskRow.id}.`);
    await head.say(`/revoke ${deskRow.id}`);
    expect(head.text).toContain('已撤销小李的员工身份');
    await desk.say('/call JZ0000000000');
    expect(desk.text).toContain('只有公司员工可以操作');
    await head.say('/staff');
    expect(head.text).not.toContain('小李');
    await head.say('/revoke 9999');
    expect(head.text).toContain('没有这个编号');
    // A department head may not revoke the general manager.
    await joined('managers', 'gm', 'general-manager', '王总');
    const gmRow = await h.db.staff.findFirstOrThrow({ where: { platformUserId: 'gm' } });
    await head.say(`/revoke ${gmRow.id}`);
    expect(head.text).toContain('不能撤销');
    expect((await h.db.staff.findFirstOrThrow({ where: { platformUserId: 'gm' } })).revokedAt).toBeNull();
    // Nothing went to any customer or room.
    expect(await h.db.outbox.count()).toBe(0);
  });
});
