/**
 * The README's handover walkthrough as real processes: a customer's `npm run chat` asks for a
 * person, the front desk's `npm run chat -- --room front-desk` claims the post and answers, the
 * customer sees the answer and writes back, the room answers that line and ends it with /end, and
 * the customer is told the bot is back. Each run is a separate process on one SQLite file, as two
 * terminals would be, with the clock set inside desk hours.
 */
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/database.ts';
import { runScript } from '../support/processes.ts';

const NOW = ['--now', '2026-11-23T10:00:00+08:00'];

describe('README: trying a handover to a person', () => {
  it('two terminals: claim, talk both ways, end', async () => {
    const env = { DATABASE_URL: await freshDatabase() };
    const chat = (args: string[], input: string) => {
      const out = runScript('src/cli/chat.ts', [...args, ...NOW], { input, env, logLevel: 'error', timeoutMs: 30_000 });
      expect(out.code, out.stderr).toBe(0);
      return out.stdout;
    };
    const customer = ['--user', 'zhang'];
    const desk = ['--room', 'front-desk', '--user', 'li', '--name', '小李'];

    expect(chat(customer, '转人工\n')).toContain('正在为您转接人工客服');
    const claimed = chat(desk, '/join front-desk\n1\n您好，我是小李\n');
    expect(claimed).toMatch(/🙋 转人工 RG\d{10}/);
    expect(claimed).toContain('小李 已认领转人工');
    const seen = chat(customer, '我想把明天的保洁改到下午\n');
    expect(seen).toContain('客服 小李 已接入');
    expect(seen).toContain('【客服 小李】您好，我是小李');
    const answered = chat(desk, '好的，已帮您改到明天下午两点\n/end\n');
    expect(answered).toMatch(/【RG\d{10} 客户】我想把明天的保洁改到下午/);
    expect(answered).toMatch(/转人工 RG\d{10} 已由小李结束/);
    const back = chat(customer, '');
    expect(back).toContain('【客服 小李】好的，已帮您改到明天下午两点');
    expect(back).toContain('人工服务已结束，智能客服回来为您服务了');
  }, 120_000);
});
