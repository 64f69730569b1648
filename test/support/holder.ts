/**
 * Holds a SQLite database open the way a serving process does, for test/store/start-together:
 * opens it through the store (WAL mode, busy timeout), runs one query, prints `READY`, and stays
 * until its standard input closes. Works on a migrated file and on one not migrated yet.
 * Usage: tsx test/support/holder.ts <dbUrl>
 */
import { openDb } from '../../src/store/db.ts';

const [dbUrl] = process.argv.slice(2);
if (!dbUrl) throw new Error('usage: holder.ts <dbUrl>');
const db = openDb({ url: dbUrl });
await db.$queryRawUnsafe('SELECT count(*) FROM sqlite_master');
process.stdout.write('READY\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void db.$disconnect().then(() => process.exit(0));
});
