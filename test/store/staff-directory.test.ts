/**
 * The staff member behind an identity, read on every private turn: on PostgreSQL from the
 * instance's copy of the directory, kept current by the "Staff" trigger's notification, and from
 * the database while no notification can arrive. Two clients on one database stand for two
 * instances. On SQLite the same answers come from the file each time.
 */
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Effect } from '../../src/contracts/records.ts';
import { ChangeFeed } from '../../src/store/change-feed.ts';
import { applyEffects } from '../../src/store/effects.ts';
import { driver, openDb, type Db } from '../../src/store/db.ts';
import { StaffRepository } from '../../src/store/staff.ts';
import { adminQuery, freshDatabase, TEST_DIALECT } from '../support/database.ts';

/**
 * A TCP proxy to the server at `url` that passes everything but the server's notifications
 * (NotificationResponse, type 'A'): a path that accepts LISTEN and loses what it would deliver,
 * as a transaction-pooling PgBouncer does. Returns the URL through it.
 */
async function notificationLosingProxy(url: string): Promise<{ url: string; server: Server }> {
  const target = new URL(url);
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    let pending = Buffer.alloc(0);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Server messages: a type byte, then a length that counts itself but not the type.
      while (pending.length >= 5) {
        const size = 1 + pending.readInt32BE(1);
        if (pending.length < size) break;
        if (pending[0] !== 0x41) client.write(pending.subarray(0, size));
        pending = pending.subarray(size);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return { url: proxied.toString(), server };
}

const at = new Date('2026-11-23T02:00:00Z');
const join = (userId: string, role: 'front_desk' | 'department_head' = 'front_desk'): Effect => ({ kind: 'joinStaff', channel: 'telegram', userId, displayName: userId, role, at });

describe('staff by identity', () => {
  let url: string;
  let here: Db;
  let there: Db;
  let staff: StaffRepository;
  let statements: string[];
  /** Statements by name that fail once, as a lost connection fails them. */
  const failOnce = new Set<string>();

  beforeAll(async () => {
    url = await freshDatabase();
    here = openDb({ url });
    there = openDb({ url });
    staff = new StaffRepository(here);
    statements = [];
    const drv = driver(here);
    if (drv?.kind === 'postgresql') {
      const plain = drv.query.bind(drv);
      drv.query = ((config) => {
        statements.push(config.name ?? config.text);
        if (config.name && failOnce.delete(config.name)) return Promise.reject(new Error('Connection terminated unexpectedly'));
        return plain(config);
      }) as typeof drv.query;
    }
  });
  afterAll(async () => {
    await here.$disconnect();
    await there.$disconnect();
  });

  /** This instance's copy of the directory is in use (PostgreSQL: notifications arrive). */
  async function directoryLive(): Promise<void> {
    if (TEST_DIALECT !== 'postgresql') return;
    await vi.waitFor(async () => {
      statements.length = 0;
      await staff.byIdentity('telegram', 'nobody');
      await staff.byIdentity('telegram', 'nobody');
      expect(statements).not.toContain('staff-by-identity');
    });
  }

  it('sees a member joined, changed and revoked by another instance, and its own changes at once', async () => {
    expect(await staff.byIdentity('telegram', 'T-wang')).toBeUndefined();
    await directoryLive();
    // Another instance: this one learns from the notification (PostgreSQL) or the file (SQLite).
    expect(await applyEffects(there, [join('T-wang')], at)).toBe(true);
    await vi.waitFor(async () => expect(await staff.byIdentity('telegram', 'T-wang')).toMatchObject({ role: 'front_desk', displayName: 'T-wang' }));
    expect(await applyEffects(there, [join('T-wang', 'department_head')], at)).toBe(true);
    await vi.waitFor(async () => expect(await staff.byIdentity('telegram', 'T-wang')).toMatchObject({ role: 'department_head' }));
    const { id } = await there.staff.findUniqueOrThrow({ where: { channel_platformUserId: { channel: 'telegram', platformUserId: 'T-wang' } } });
    expect(await applyEffects(there, [{ kind: 'revokeStaff', staffId: id, at }], at)).toBe(true);
    await vi.waitFor(async () => expect(await staff.byIdentity('telegram', 'T-wang')).toBeUndefined());
    // This instance's own change counts from its commit, before any notification.
    expect(await applyEffects(here, [join('T-li')], at)).toBe(true);
    expect(await staff.byIdentity('telegram', 'T-li')).toMatchObject({ role: 'front_desk' });
    expect(await staff.byIdentity('slack', 'T-li')).toBeUndefined();
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('reads the copy once, not a statement per look-up, while nothing changes', async () => {
    await directoryLive();
    statements.length = 0;
    for (let i = 0; i < 20; i += 1) await staff.byIdentity('telegram', i % 2 ? 'T-li' : `customer-${i}`);
    expect(statements).toEqual([]);
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('reads the copy again after a read of it failed', async () => {
    await directoryLive();
    expect(await applyEffects(here, [join('T-qian')], at)).toBe(true);
    failOnce.add('staff-directory');
    await expect(staff.byIdentity('telegram', 'T-qian')).rejects.toThrow(/terminated/);
    expect(await staff.byIdentity('telegram', 'T-qian')).toMatchObject({ role: 'front_desk' });
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('reads the database while its listening connection is lost, and the copy again once it is back', async () => {
    await directoryLive();
    // The server ends the listening connection (a restart, an administrator).
    const killed = await adminQuery<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_notify(%'`, [], url);
    expect(killed.length).toBeGreaterThan(0);
    // Joined while nobody listened: no notification will ever tell of it.
    await there.staff.create({ data: { channel: 'telegram', platformUserId: 'T-zhao', displayName: 'T-zhao', role: 'on_site', joinedAt: at } });
    await vi.waitFor(async () => expect(await staff.byIdentity('telegram', 'T-zhao')).toMatchObject({ role: 'on_site' }));
    await directoryLive();
    expect(await staff.byIdentity('telegram', 'T-zhao')).toMatchObject({ role: 'on_site' });
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('tells the operator when notifications stop, and when they never arrive', async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const proxy = await notificationLosingProxy(url);
    const direct = new ChangeFeed(url, 'staff_changed', { log });
    const throughProxy = new ChangeFeed(proxy.url, 'staff_changed', { log, probeWaitMs: 50 });
    try {
      await vi.waitFor(() => expect(direct.live).toBe(true));
      await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_notify(%'`, [], url);
      await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^database notifications lost/)));
      await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^database notifications do not arrive on this connection/)));
      for (const line of lines.filter((l) => l.level >= 40)) expect(line.msg).toMatch(/^database notifications (lost|do not arrive)/);
      expect(throughProxy.live).toBe(false);
    } finally {
      await direct.close();
      await throughProxy.close();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('never trusts its copy on a path that loses notifications', async () => {
    const proxy = await notificationLosingProxy(url);
    const behind = openDb({ url: proxy.url });
    try {
      const behindStaff = new StaffRepository(behind);
      const drv = driver(behind);
      if (drv?.kind !== 'postgresql') throw new Error('expected the PostgreSQL driver');
      const feed = drv.changes('staff_changed');
      // LISTEN is accepted and the feed's own notification is sent; none ever comes back.
      await vi.waitFor(async () => {
        const listening = await adminQuery(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_notify(%' AND state = 'idle'`, [], url);
        expect(listening.length).toBeGreaterThan(1);
      });
      expect(await behindStaff.byIdentity('telegram', 'T-sun')).toBeUndefined();
      await applyEffects(there, [join('T-sun')], at);
      // Read from the database at once, no notification needed.
      expect(await behindStaff.byIdentity('telegram', 'T-sun')).toMatchObject({ role: 'front_desk' });
      expect(feed.live).toBe(false);
    } finally {
      await behind.$disconnect();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});
