/**
 * `npm run db:generate` and the npm `postinstall`: runs `prisma generate` for prisma/schema.prisma
 * (the SQLite client) and for the PostgreSQL schema derived from it (see providers.ts), so both
 * clients always come from the same models.
 *
 * The Prisma CLI insists on resolving a native schema-engine binary before it generates, and that
 * binary cannot be downloaded on machines that reach only the npm registry. `generate` never runs
 * it, so we point PRISMA_SCHEMA_ENGINE_BINARY at a placeholder file (kept if it already names an
 * existing file, e.g. a real engine). Migrations use the wasm engine instead: see engine.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { deriveSchema, PROVIDER_FILES, PROVIDERS, readSourceSchema, SOURCE_SCHEMA } from './providers.ts';
import { PROJECT_ROOT } from '../../src/lib/project-root.ts';

const PLACEHOLDER = `#!/bin/sh
echo "This is a placeholder for Prisma's native schema engine (see prisma/tools/generate.ts)." >&2
echo "Migrations run through the wasm engine: npm run db:migrate / npm run db:diff." >&2
exit 1
`;

/** An existing file for PRISMA_SCHEMA_ENGINE_BINARY: the one already configured, or a placeholder. */
function schemaEngineBinary(): string {
  const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (configured && existsSync(configured)) return configured;
  const file = path.join(os.tmpdir(), 'prisma-schema-engine-placeholder.sh');
  if (!existsSync(file)) {
    writeFileSync(file, PLACEHOLDER);
    chmodSync(file, 0o755);
  }
  return file;
}

function fail(message: string): never {
  console.error(`prisma generate failed: ${message}`);
  process.exit(1);
}

function main(): void {
  let cli: string;
  try {
    cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  } catch {
    fail('the prisma package is not installed (node_modules/prisma). Run npm install.');
  }
  let engine: string;
  try {
    engine = schemaEngineBinary();
  } catch (error) {
    fail(`could not create a placeholder schema-engine file in ${os.tmpdir()}: ${(error as Error).message}`);
  }

  const source = readSourceSchema();
  for (const provider of PROVIDERS) {
    const schema = PROVIDER_FILES[provider].schema;
    if (schema !== SOURCE_SCHEMA) {
      mkdirSync(path.dirname(schema), { recursive: true });
      writeFileSync(schema, deriveSchema(source, provider));
    }
    generate(cli, engine, schema);
  }
}

function generate(cli: string, engine: string, schema: string): void {
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', path.relative(PROJECT_ROOT, schema)], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: engine,
      // No network on install: no update check / telemetry ping.
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (result.error) fail(`could not start ${process.execPath} ${cli}: ${result.error.message}`);
  if (result.signal) fail(`prisma was killed by ${result.signal}.`);
  if (result.status !== 0) {
    fail(`prisma exited with code ${result.status} (see its output above). Schema: ${schema}`);
  }
}

main();
