/**
 * A process that dies by SIGKILL, for the outbox crash tests. It commits a customer and an outbox
 * row in one transaction, prints `COMMITTED <dedupeKey>`, and then:
 *  - mode `commit`: kills itself at once, before any send;
 *  - mode `claim`: runs a dispatcher (owner "child") whose sender kills the process mid-send,
 *    after the claim committed, printing `SENDING` first.
 * Usage: tsx test/support/outbox-writer.ts <dbUrl> <commit|claim> <nowIso>
 */
import { writeSync } from 'node:fs';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.ts';
import { enqueue, OutboxRepository } from '../../src/store/outbox.ts';
import { openDb } from '../../src/store/db.ts';

const [dbUrl, mode, nowIso] = process.argv.slice(2);
if (!dbUrl || (mode !== 'commit' && mode !== 'claim') || !nowIso) throw new Error('usage: outbox-writer.ts <dbUrl> <commit|claim> <nowIso>');

const die = (line: string): never => {
  // writeSync, so the line is out before the signal lands.
  writeSync(1, `${line}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const db = openDb({ url: dbUrl });
const clock = new ManualClock(nowIso);
const dedupeKey = `crash:${mode}`;
await db.$transaction([
  db.customer.create({ data: { channel: 'telegram', platformUserId: `crash-${mode}`, displayName: 'Crash' } }),
  enqueue(db, { channel: 'telegram', chatId: '777', kind: 'notice', dedupeKey, message: { text: `sent after a crash (${mode})` } }, clock.now()),
]);
writeSync(1, `COMMITTED ${dedupeKey}\n`);
if (mode === 'commit') die('KILLED');

const dispatcher = new OutboxDispatcher({
  queue: new OutboxRepository(db),
  clock,
  log: silentLogger,
  owner: 'child',
  senders: { telegram: { send: async () => die('SENDING') } },
});
await dispatcher.tick();
die('UNEXPECTED');
