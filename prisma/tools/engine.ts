/**
 * A small typed wrapper around Prisma's schema engine compiled to WebAssembly
 * (`@prisma/schema-engine-wasm`), driven through the driver adapters we already ship.
 *
 * Why: the native schema-engine binary cannot be downloaded everywhere we build/run, so
 * `prisma migrate` is not available. The wasm build is the same engine (same SQL, same
 * `_prisma_migrations` bookkeeping), so `prisma migrate deploy` keeps working on databases
 * migrated by this code, and vice versa.
 *
 * The wasm module is compiled once per process; the glue module (`schema_engine_bg.js`) keeps the
 * instance in a module-level variable, so there is exactly one instance per module graph.
 */
import { MigrationError } from '../../src/lib/errors.ts';
import { sqliteFilePath } from './providers.ts';
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type {
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from '@prisma/schema-engine-wasm';

export type Provider = 'sqlite' | 'postgresql';

/** A migration step failed or the engine refused a request. `migration` names it when known. */

export const MIGRATION_LOCK_FILE = 'migration_lock.toml';
const SCHEMA_FILE_NAME = 'schema.prisma';
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
/** How long the engine's statements wait for another process's lock on a SQLite file, by default. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Loading the wasm engine
// ---------------------------------------------------------------------------------------------

type BgModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * Process-wide cache: the compiled module, and one initialised instance per evaluation of the glue
 * module (the glue keeps its instance in a module-level variable; test runners that re-evaluate
 * modules per file get a fresh glue module, and so a fresh instance, while the compile is reused).
 */
const CACHE_KEY = Symbol.for('jiazheng-desk.prisma-schema-engine-wasm');
interface EngineCache {
  module?: Promise<WebAssembly.Module>;
  instances: WeakMap<object, Promise<BgModule>>;
}
const holder = globalThis as { [CACHE_KEY]?: EngineCache };
holder[CACHE_KEY] ??= { instances: new WeakMap() };
const cache: EngineCache = holder[CACHE_KEY];

function wasmPath(): string {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  return path.join(path.dirname(gluePath), 'schema_engine_bg.wasm');
}

async function instantiate(bg: BgModule): Promise<BgModule> {
  cache.module ??= readFile(wasmPath()).then((bytes) => WebAssembly.compile(bytes));
  const module = await cache.module.catch((error: unknown) => {
    cache.module = undefined;
    throw error;
  });
  const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  }
  const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': imports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

/**
 * Timers the engine starts (e.g. the 10 s timeout around PostgreSQL's advisory lock) are never
 * cleared by the glue (it imports no clearTimeout), so each one would keep the process alive for
 * its full delay after the work is done. We record them and clear the leftovers once no engine
 * operation is running.
 */
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let runningOperations = 0;

function trackedSetTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

function clearLeftoverTimers(): void {
  if (runningOperations > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

/** Loads the engine once and returns the initialised wasm-bindgen glue module. */
async function loadBindings(): Promise<BgModule> {
  try {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    let ready = cache.instances.get(bg);
    if (!ready) {
      ready = instantiate(bg);
      cache.instances.set(bg, ready);
      ready.catch(() => cache.instances.delete(bg));
    }
    return await ready;
  } catch (error) {
    throw new MigrationError(
      `Could not load the Prisma schema engine (@prisma/schema-engine-wasm): ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

/** Version string of the wasm engine, e.g. for diagnostics. */
export async function engineVersion(): Promise<string> {
  return (await loadBindings()).version();
}

function debugEnabled(): boolean {
  return /prisma/i.test(process.env.DEBUG ?? '');
}

function engineLog(message: unknown): void {
  if (debugEnabled()) process.stderr.write(`[schema-engine] ${String(message).trimEnd()}\n`);
}

// ---------------------------------------------------------------------------------------------
// Adapters
// ---------------------------------------------------------------------------------------------

/** Wraps an adapter's dispose so it runs once (the engine and we may both call it). */
function disposeOnce(adapter: SqlDriverAdapter, after?: () => Promise<void>): SqlDriverAdapter {
  const original = adapter.dispose.bind(adapter);
  let done: Promise<void> | undefined;
  adapter.dispose = () =>
    (done ??= (async () => {
      try {
        await original();
      } finally {
        if (after) await after();
      }
    })());
  return adapter;
}

/**
 * Records every connection the engine opens so they can all be closed afterwards: the engine
 * does not close them itself (an open pg pool would keep the process alive, and SQLite files
 * stay locked: the engine sets `locking_mode=EXCLUSIVE` while it applies migrations).
 */
class TrackingFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider: SqlMigrationAwareDriverAdapterFactory['provider'];
  readonly adapterName: string;
  private readonly opened: SqlDriverAdapter[] = [];

  constructor(
    private readonly openMain: () => Promise<SqlDriverAdapter>,
    private readonly openShadow: () => Promise<SqlDriverAdapter>,
    info: { provider: SqlMigrationAwareDriverAdapterFactory['provider']; adapterName: string },
  ) {
    this.provider = info.provider;
    this.adapterName = info.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.track(await this.openMain());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.track(await this.openShadow());
  }

  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    this.opened.push(disposeOnce(adapter));
    return adapter;
  }

  async disposeAll(): Promise<void> {
    const adapters = this.opened.splice(0);
    const results = await Promise.allSettled(adapters.map((a) => a.dispose()));
    for (const r of results) if (r.status === 'rejected') engineLog(`dispose failed: ${errorMessage(r.reason)}`);
  }
}

/**
 * The engine sends whole migration scripts through `executeRaw` (fine for pg, which runs a
 * parameterless multi-statement query), but better-sqlite3's `prepare` accepts one statement
 * only. Route such scripts to `executeScript` (`Database#exec`) on the same connection.
 */
function allowMultiStatementScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !/more than one statement/.test(errorMessage(error))) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/** `PRAGMA main.locking_mode=EXCLUSIVE`, which the engine sends before it migrates a SQLite file. */
const EXCLUSIVE_LOCKING = /^\s*PRAGMA\s+(main\.)?locking_mode\s*=\s*EXCLUSIVE\s*;?\s*$/i;

/**
 * Lets the engine work on a SQLite file that other processes have open.
 *
 * The engine puts its connection in `locking_mode=EXCLUSIVE` before migrating. In WAL mode (which
 * every serving process sets, src/store/sqlite-adapter.ts) that lock cannot be had while any
 * other connection has the file open, so a start next to a running bot waited for the busy
 * timeout and failed. That pragma is dropped here: appliers take turns on a lock of their own
 * (src/store/migrate.ts), and the engine's statements wait for other writers through the busy
 * timeout like any writer's.
 *
 * The upstream adapter also reports SQLITE_BUSY as error kind `SocketTimeout`, which the wasm
 * engine cannot read ("unknown variant `SocketTimeout`"); it is passed on as the SQLite error it is.
 */
function shareSqliteFile(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const busyAsSqliteError = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const cause = (error as { name?: string; cause?: { kind?: string; originalMessage?: string } }).cause;
      if ((error as Error).name !== 'DriverAdapterError' || cause?.kind !== 'SocketTimeout') throw error;
      const { DriverAdapterError } = await import('@prisma/driver-adapter-utils');
      throw new DriverAdapterError({ kind: 'sqlite', extendedCode: 5, message: cause.originalMessage ?? 'database is locked' });
    }
  };
  adapter.queryRaw = (query) =>
    EXCLUSIVE_LOCKING.test(query.sql)
      ? Promise.resolve({ columnNames: [], columnTypes: [], rows: [] })
      : busyAsSqliteError(() => queryRaw(query));
  adapter.executeRaw = (query) => (EXCLUSIVE_LOCKING.test(query.sql) ? Promise.resolve(0) : busyAsSqliteError(() => executeRaw(query)));
  adapter.executeScript = (script) => (EXCLUSIVE_LOCKING.test(script) ? Promise.resolve() : busyAsSqliteError(() => executeScript(script)));
  return adapter;
}

/** The engine's connections to the SQLite file at `url` (waiting up to `busyTimeoutMs` for other writers' locks). */
async function sqliteFactory(url: string, busyTimeoutMs = DEFAULT_SQLITE_BUSY_TIMEOUT_MS): Promise<TrackingFactory> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const file = sqliteFilePath(url);
  const main = new PrismaBetterSqlite3({ url: file, timeout: busyTimeoutMs });
  const shadow = new PrismaBetterSqlite3({ url: ':memory:' });
  return new TrackingFactory(
    async () => allowMultiStatementScripts(shareSqliteFile(await main.connect())),
    async () => allowMultiStatementScripts(await shadow.connect()),
    { provider: main.provider, adapterName: main.adapterName },
  );
}

/** OIDs of PostgreSQL's internal one-byte `"char"` type and of `text`. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type PgQueryResultLike = { fields?: Array<{ dataTypeID: number }> };
type PgPoolLike = { query: (...args: unknown[]) => Promise<PgQueryResultLike> };

/**
 * The engine describes a PostgreSQL schema (e.g. the shadow database, to diff from migrations)
 * with catalog queries returning columns of the internal `"char"` type, which adapter-pg refuses
 * ("Column type 'char' could not be deserialized from the database"). pg already returns those
 * values as strings, so we report them as text.
 */
function readCatalogCharAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const pool = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.() as PgPoolLike | undefined;
  if (!pool || typeof pool.query !== 'function') return adapter;
  const query = pool.query.bind(pool);
  pool.query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * PostgreSQL. The shadow database is a fresh, uniquely named database created on the server of
 * `shadowServerUrl` (the user needs CREATEDB) and dropped afterwards. We do not use
 * `PrismaPg.connectToShadowDb()`: with a `connectionString` config, pg lets the database in the
 * connection string override the `database` field it sets, so its "shadow" connection would
 * actually point at the main database.
 */
async function postgresFactory(url: string, shadowServerUrl: string): Promise<TrackingFactory> {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const main = new PrismaPg({ connectionString: url });
  return new TrackingFactory(
    async () => readCatalogCharAsText(await main.connect()),
    async () => {
      const admin = await new PrismaPg({ connectionString: shadowServerUrl }).connect();
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      try {
        await admin.executeScript(`CREATE DATABASE "${name}"`);
        const shadow = readCatalogCharAsText(
          await new PrismaPg({ connectionString: withDatabase(shadowServerUrl, name) }).connect(),
        );
        return disposeOnce(shadow, async () => {
          try {
            await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
          } finally {
            await admin.dispose();
          }
        });
      } catch (error) {
        await admin.dispose().catch(() => undefined);
        throw error;
      }
    },
    { provider: main.provider, adapterName: main.adapterName },
  );
}

// ---------------------------------------------------------------------------------------------
// Engine sessions
// ---------------------------------------------------------------------------------------------

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

/** The engine names the failing migration in some messages (P3009, P3018, span traces). */
function migrationNameFrom(message: string): string | undefined {
  return (
    /migration_name="([^"]+)"/.exec(message)?.[1] ??
    /Migration name: (\S+)/.exec(message)?.[1] ??
    /The `([^`]+)` migration started at/.exec(message)?.[1]
  );
}

/** Drops the engine's span trace ("   0: schema_engine_wasm::...") from a message. */
function withoutSpanTrace(message: string): string {
  const at = message.search(/^\s*0: [a-z_]+::/m);
  return (at === -1 ? message : message.slice(0, at)).trim();
}

/** Errors thrown by our JS adapters reach us as "External error id#N"; look the original up. */
type ErrorRegistry = { consumeError(id: number): { error: unknown } | undefined };

function resolveExternal(error: unknown, registry: ErrorRegistry | undefined): unknown {
  const id = /External error id#(\d+)/.exec(errorMessage(error))?.[1];
  if (id === undefined || !registry) return error;
  return registry.consumeError(Number(id))?.error ?? error;
}

function toMigrationError(what: string, error: unknown): MigrationError {
  if (error instanceof MigrationError) return error;
  const message = errorMessage(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new MigrationError(`${what} failed: ${withoutSpanTrace(message)}`, {
    migration: migrationNameFrom(message),
    prismaCode: typeof code === 'string' ? code : undefined,
    cause: error,
  });
}

async function withEngine<T>(
  what: string,
  schemaText: string,
  factory: TrackingFactory,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bg = await loadBindings();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  runningOperations++;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: [[SCHEMA_FILE_NAME, schemaText]] }, engineLog, bound);
    return await run(engine);
  } catch (error) {
    throw toMigrationError(what, resolveExternal(error, bound.errorRegistry as ErrorRegistry));
  } finally {
    try {
      engine?.free();
    } finally {
      await factory.disposeAll();
      runningOperations--;
      clearLeftoverTimers();
    }
  }
}

/**
 * Reads a migrations folder the way the Prisma CLI does: every sub-directory with a
 * `migration.sql`, sorted by name, plus `migration_lock.toml` if present. A missing folder is an
 * empty history.
 */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockContent = await readFile(path.join(baseDir, MIGRATION_LOCK_FILE), 'utf8').catch(() => null);
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = await readdir(baseDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const migrationDirectories: MigrationDirectory[] = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e): Promise<MigrationDirectory> => {
        const content = await readFile(path.join(baseDir, e.name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: unknown) => ({ tag: 'error' as const, value: errorMessage(error) }),
        );
        return { path: e.name, migrationFile: { path: 'migration.sql', content } };
      }),
  );
  migrationDirectories.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    baseDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Names of the migration folders (those with a migration.sql), sorted. */
export async function listMigrationNames(migrationsDir: string): Promise<string[]> {
  const list = await readMigrationsList(migrationsDir);
  return list.migrationDirectories.filter((d) => d.migrationFile.content.tag === 'ok').map((d) => d.path);
}

/** The content Prisma writes to `migration_lock.toml`. */
export function migrationLockToml(provider: Provider): string {
  return (
    '# Please do not edit this file manually\n' +
    "# It should be added in your version-control system (e.g., Git)\n" +
    `provider = "${provider}"\n`
  );
}

/** True when a generated script contains nothing but whitespace and `--` comments. */
export function isEmptyMigration(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

// ---------------------------------------------------------------------------------------------
// Public operations
// ---------------------------------------------------------------------------------------------

export interface DiffOptions {
  provider: Provider;
  schemaText: string;
  migrationsDir: string;
  /**
   * PostgreSQL only: a server the engine may create a temporary shadow database on (the database
   * in the URL is only used to connect; a uniquely named one is created and dropped). Needed
   * because the migrations must be replayed to know their resulting state. SQLite replays them
   * in memory and needs no database.
   */
  shadowUrl?: string;
}

/**
 * The SQL that takes the state produced by the migrations folder to `schemaText`. Empty (or
 * comments only, see {@link isEmptyMigration}) when they already match.
 */
export async function diffToScript(opts: DiffOptions): Promise<string> {
  const migrationsList = await readMigrationsList(opts.migrationsDir);
  // The engine takes the connector of a migrations folder from its lock file; a folder that has
  // migrations but lost its lock file is read as the provider we were asked for.
  migrationsList.lockfile.content ??= migrationLockToml(opts.provider);
  let factory: TrackingFactory;
  if (opts.provider === 'sqlite') {
    factory = await sqliteFactory(':memory:');
  } else {
    const shadowUrl = opts.shadowUrl ?? process.env.SHADOW_DATABASE_URL;
    if (shadowUrl) {
      factory = await postgresFactory(shadowUrl, shadowUrl);
    } else {
      // Diffing from an empty folder needs no database; replaying migrations does.
      const refuse = () =>
        Promise.reject(
          new MigrationError(
            'diffToScript for postgresql needs a shadowUrl (a PostgreSQL server to create a temporary shadow database on) or SHADOW_DATABASE_URL to replay the migrations',
          ),
        );
      factory = new TrackingFactory(refuse, refuse, { provider: 'postgres', adapterName: '@prisma/adapter-pg' });
    }
  }
  return withEngine('Diff', opts.schemaText, factory, async (engine) => {
    const result = await engine.diff({
      from:
        migrationsList.migrationDirectories.length === 0
          ? { tag: 'empty' }
          : { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE_NAME, content: opts.schemaText }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? '';
  });
}

export interface ApplyOptions {
  provider: Provider;
  /** `file:./data/x.db` (relative to the project root, see sqliteFilePath), `file:/abs.db`, an absolute path, or `postgresql://…`. */
  url: string;
  schemaText: string;
  migrationsDir: string;
  /** SQLite: how long each statement waits for another process's lock (default 10 s). */
  busyTimeoutMs?: number;
}

/**
 * Applies the migrations not yet recorded as finished in `_prisma_migrations` (created if
 * missing), in name order, like `prisma migrate deploy`. Returns the names applied now.
 */
export async function applyMigrations(opts: ApplyOptions): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrationsList(opts.migrationsDir);
  const unreadable = migrationsList.migrationDirectories.find((d) => d.migrationFile.content.tag === 'error');
  if (unreadable) {
    throw new MigrationError(
      `Migration ${unreadable.path} has no readable migration.sql: ${String(unreadable.migrationFile.content.value)}`,
      { migration: unreadable.path },
    );
  }
  const makeFactory = () =>
    opts.provider === 'sqlite' ? sqliteFactory(opts.url, opts.busyTimeoutMs) : postgresFactory(opts.url, opts.url);
  try {
    return await withEngine('Applying migrations', opts.schemaText, await makeFactory(), async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return { applied: appliedMigrationNames };
    });
  } catch (error) {
    if (!(error instanceof MigrationError) || error.migration !== undefined) throw error;
    // The engine reports a failing script by its database error alone; the failed (unfinished)
    // row it left in _prisma_migrations names the migration.
    const failed = await unfinishedMigration(await makeFactory()).catch(() => undefined);
    if (failed === undefined) throw error;
    throw new MigrationError(
      `Migration ${failed} failed: ${error.message.replace(/^Applying migrations failed: /, '')}\n` +
        `The database may be partly migrated. Fix the database or the migration, then mark it rolled back ` +
        `(prisma migrate resolve --rolled-back ${failed}, or set rolled_back_at on its _prisma_migrations row) and run the migrations again.`,
      { migration: failed, prismaCode: error.prismaCode, cause: error.cause },
    );
  }
}

/** The most recently started migration that neither finished nor was rolled back, if any. */
async function unfinishedMigration(factory: TrackingFactory): Promise<string | undefined> {
  try {
    const adapter = await factory.connect();
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY started_at DESC',
      args: [],
      argTypes: [],
    });
    const first = result.rows[0]?.[0];
    return typeof first === 'string' ? first : undefined;
  } finally {
    await factory.disposeAll();
  }
}
