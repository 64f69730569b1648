/**
 * One source of models, two databases. prisma/schema.prisma is written for SQLite (the embedded
 * default); PostgreSQL's schema, client and migrations are derived from it mechanically here, so a
 * model is added in one place and `npm run db:diff` writes the migration for both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from '../../src/lib/errors.ts';
import { PROJECT_ROOT } from '../../src/lib/project-root.ts';
import type { Provider } from './engine.ts';

export const PROVIDERS: readonly Provider[] = ['sqlite', 'postgresql'];

/** The one source of models. */
export const SOURCE_SCHEMA = path.join(PROJECT_ROOT, 'prisma', 'schema.prisma');

interface ProviderFiles {
  /** The schema `prisma generate` reads (the source itself for SQLite, a derived copy otherwise). */
  schema: string;
  migrations: string;
  /** Folder of the generated client. */
  client: string;
}

export const PROVIDER_FILES: Record<Provider, ProviderFiles> = {
  sqlite: {
    schema: SOURCE_SCHEMA,
    migrations: path.join(PROJECT_ROOT, 'prisma', 'migrations'),
    client: path.join(PROJECT_ROOT, 'src', 'generated', 'prisma'),
  },
  postgresql: {
    // Derived at `npm run db:generate` (and so at install); ignored by git.
    schema: path.join(PROJECT_ROOT, 'prisma', 'postgresql', 'schema.prisma'),
    migrations: path.join(PROJECT_ROOT, 'prisma', 'postgresql', 'migrations'),
    client: path.join(PROJECT_ROOT, 'src', 'generated', 'prisma-postgresql'),
  },
};

export function readSourceSchema(): string {
  return readFileSync(SOURCE_SCHEMA, 'utf8');
}

/**
 * The source schema for `provider`: the datasource provider swapped, and the generator's output
 * pointed at that provider's client folder (relative to where the derived schema is written).
 */
export function deriveSchema(source: string, provider: Provider): string {
  const files = PROVIDER_FILES[provider];
  const output = path.relative(path.dirname(files.schema), files.client).split(path.sep).join('/');
  const withProvider = source.replace(
    /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"[^"]*"/,
    (_match, head: string) => `${head}"${provider}"`,
  );
  const derived = withProvider.replace(
    /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/,
    (_match, head: string) => `${head}"${output}"`,
  );
  if (provider === 'sqlite') return derived;
  return `// GENERATED from prisma/schema.prisma by prisma/tools/providers.ts; do not edit.\n${derived}`;
}

/**
 * The one reading of a SQLite URL, for the runtime client, the migrations and the schema engine:
 * `file:./data/x.db` (relative to `baseDir`, default the project root, so commands work from any
 * working directory), `file:/abs/x.db`, `file:///abs/x.db` or a plain path. Query strings are
 * dropped. Returns an absolute path, or `:memory:`.
 * @throws MigrationError for a URL that names no file.
 */
export function sqliteFilePath(url: string, baseDir: string = PROJECT_ROOT): string {
  let p = url.trim();
  if (p === ':memory:' || p === 'file::memory:') return ':memory:';
  if (p.startsWith('file://')) return fileURLToPath(p.split('?')[0]!);
  if (p.startsWith('file:')) p = p.slice('file:'.length);
  p = p.split('?')[0]!;
  if (!p) throw new MigrationError(`Invalid SQLite URL "${url}"`);
  return path.resolve(baseDir, p);
}
