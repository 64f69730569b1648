/**
 * A writer process for the two-processes test: books `count` services through the real core on
 * the given database and prints one line per acknowledged booking (`ACK <number>`) and per
 * failed turn (`FAIL`). Usage: tsx test/support/writer.ts <dbUrl> <prefix> <count> <busyTimeoutMs>
 */
import { loadSettings } from '../../src/config/env.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb } from '../../src/store/db.ts';

const [dbUrl, prefix, countArg, busyArg] = process.argv.slice(2);
if (!dbUrl) throw new Error('usage: writer.ts <dbUrl> <prefix> <count> <busyTimeoutMs>');
const db = openDb({ url: dbUrl, busyTimeoutMs: Number(busyArg) });
const core = new DialogueCore({
  store: new PrismaCoreStore(db),
  clock: new ManualClock('2026-11-23T10:00:00+08:00'),
  log: silentLogger,
  ...loadSettings({}),
});

let seq = 0;
async function send(user: string, fields: { text?: string; action?: string }) {
  seq += 1;
  return core.handle({ channel: 'console', chatId: user, userId: user, messageId: `${prefix}-${seq}`, at: new Date(), ...fields });
}

const FAILED = /系统刚才出了点问题/;
for (let i = 0; i < Number(countArg); i += 1) {
  const user = `${prefix}-user-${i}`;
  const script: { text?: string; action?: string }[] = [
    { text: '明天上午9点保洁' },
    { text: '阳光小区3栋501' },
    { text: '李先生' },
    { text: '13912345678' },
    { action: 'freq:once' },
    { action: 'yes' },
  ];
  let ok = true;
  for (const step of script) {
    // Retry a failed turn the way a platform redelivers an unacknowledged message.
    let replies = await send(user, step);
    for (let attempt = 0; attempt < 20 && FAILED.test(replies[0]?.text ?? ''); attempt += 1) {
      process.stdout.write('FAIL\n');
      replies = await send(user, step);
    }
    if (FAILED.test(replies[0]?.text ?? '')) {
      ok = false;
      break;
    }
    const number = /JZ\d{10}/.exec(replies.map((r) => r.text).join('\n'))?.[0];
    if (number) process.stdout.write(`ACK ${number}\n`);
  }
  if (!ok) process.stdout.write(`GAVEUP ${user}\n`);
}
await db.$disconnect();
