/**
 * The project's scripts as real processes (`node tsx <file>`), for tests of what a newcomer runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/lib/project-root.ts';

export const TSX = join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs');

/** Runs `script` (a path from the project root) with tsx to its end; stdin gets `input`. */
export function runScript(
  script: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; logLevel?: string; timeoutMs?: number } = {},
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TSX, join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: opts.logLevel ?? 'warn', ...opts.env },
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
