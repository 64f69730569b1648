/**
 * The staff member behind an identity, read on every private turn: on PostgreSQL from the
 * instance's copy of the directory, kept current by the "Staff" trigger's notification, and from
 * the database while no notification can arrive. Two clients on one database stand for two
 * instances. On SQLite the same answers come from the file each time.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Effect } from '../../src/contracts/records.ts';
import { applyEffects } from '../../src/store/effects.ts';
import { driver, openDb, type Db } from '../../src/store/db.ts';
import { StaffRepository } from '../../src/store/staff.ts';
import { adminQuery, freshDatabase, TEST_DIALECT } from '../support/database.ts';

const at = new Date('2026-11-23T02:00:00Z');
const join = (userId: string, role: 'front_desk' | 'department_head' = 'front_desk'): Effect => ({ kind: 'joinStaff', channel: 'telegram', userId, displayName: userId, role, at });

describe('staff by identity', () => {
  let url: string;
  let here: Db;
  let there: Db;
  let staff: StaffRepository;
  let statements: string[];

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

  it.skipIf(TEST_DIALECT !== 'postgresql')('reads the database while its listening connection is lost, and the copy again once it is back', async () => {
    await directoryLive();
    // The server ends the listening connection (a restart, an administrator).
    const killed = await adminQuery<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`, [], url);
    expect(killed.length).toBeGreaterThan(0);
    // Joined while nobody listened: no notification will ever tell of it.
    await there.staff.create({ data: { channel: 'telegram', platformUserId: 'T-zhao', displayName: 'T-zhao', role: 'on_site', joinedAt: at } });
    await vi.waitFor(async () => expect(await staff.byIdentity('telegram', 'T-zhao')).toMatchObject({ role: 'on_site' }));
    await directoryLive();
    expect(await staff.byIdentity('telegram', 'T-zhao')).toMatchObject({ role: 'on_site' });
  });
});
