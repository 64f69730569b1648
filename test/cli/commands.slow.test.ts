/**
 * The commands a newcomer runs, as real processes: `npm run nlu`, `npm run chat` (persisting
 * between runs), and the start refusing a bad setting.
 */
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/database.ts';
import { runScript as run } from '../support/processes.ts';

describe('npm run nlu', () => {
  it('prints intent, service and start as one JSON object in the company zone', () => {
    const out = run('src/cli/nlu.ts', ['--now', '2026-11-23T10:00:00+08:00', '明天下午三点日常保洁'], { env: { TZ: 'America/New_York' } });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ intent: 'book', service: '日常保洁', start: '2026-11-24T15:00:00.000+08:00' });
  });

  it('handles the phrasings the issue names', () => {
    const now = ['--now', '2026-11-23T10:00:00+08:00'];
    const start = (text: string) => (JSON.parse(run('src/cli/nlu.ts', [...now, text]).stdout) as { start?: string }).start;
    expect(start('下周二上午10点')).toBe('2026-12-01T10:00:00.000+08:00');
    expect(start('11月25日14:00')).toBe('2026-11-25T14:00:00.000+08:00');
    expect(start('下个月1号上午九点半')).toBe('2026-12-01T09:30:00.000+08:00');
  }, 30_000);

  it('refuses a bad --now', () => {
    const out = run('src/cli/nlu.ts', ['--now', 'yesterday', 'hi']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('now: must be an ISO date-time');
  });
});

describe('npm run chat', () => {
  it('numbers the options, accepts numbers, and continues the conversation in a second run', async () => {
    const db = await freshDatabase();
    const env = { DATABASE_URL: db };
    const args = ['--user', 'zhang', '--name', '张三', '--now', '2026-11-23T10:00:00+08:00'];
    const first = run('src/cli/chat.ts', args, { input: '你好\n1\n日常保洁\n明天上午9点\n阳光小区3栋501\n', env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1. 预约服务');
    expect(first.stdout).toContain('请问您需要哪项服务');
    expect(first.stdout).toContain('请告诉我服务地址');
    // The platform gave a name (--name), so the bot offers it for confirmation instead of asking.
    expect(first.stdout).toContain('请问称呼您“张三”可以吗？');
    const second = run('src/cli/chat.ts', args, { input: '张先生\n13800138000\n单次\n确认预约\n', env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('张先生，请留下手机号码');
    expect(second.stdout).toContain('收费标准：¥50/小时（3小时起）');
    expect(second.stdout).toMatch(/预约成功！预约号：JZ261123\d{4}/);
  }, 60_000);
});

describe('bad settings', () => {
  it('stop the start with a message naming the setting', () => {
    const out = run('src/main.ts', [], { env: { DATABASE_URL: 'mysql://localhost/db' } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('DATABASE_URL');
  }, 30_000);

  it('a malformed platform token stops the start before anything connects, naming the variable', () => {
    const out = run('src/main.ts', [], { env: { TELEGRAM_BOT_TOKEN: 'abc' } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('TELEGRAM_BOT_TOKEN');
    expect(out.stdout).toBe('');
  }, 30_000);

  it('stop every command the same way', () => {
    const out = run('src/cli/migrate.ts', [], { env: { SLACK_BOT_TOKEN: 'not-a-bot-token', SLACK_SIGNING_SECRET: 's' } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('SLACK_BOT_TOKEN');
    expect(out.stderr).not.toContain('not-a-bot-token');
  }, 30_000);

  it('an unreachable database stops the start with one line naming it', () => {
    const out = run('src/main.ts', [], { env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' } });
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toMatch(/^Database: Cannot connect to PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
  }, 30_000);
});
