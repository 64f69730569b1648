/**
 * `npm run db:generate` and the npm `postinstall`: runs `prisma generate` for prisma/schema.prisma.
 *
 * The Prisma CLI insists on resolving a native schema-engine binary before it generates, and that
 * binary cannot be downloaded on machines that reach only the npm registry. `generate` never runs
 * it, so we point PRISMA_SCHEMA_ENGINE_BINARY at a placeholder file (kept if it already names an
 * existing file, e.g. a real engine). Migrations use the wasm engine instead: see engine.ts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA = path.join('prisma', 'schema.prisma');

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

  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', SCHEMA], {
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
    fail(`prisma exited with code ${result.status} (see its output above). Schema: ${path.join(PROJECT_ROOT, SCHEMA)}`);
  }
}

main();
