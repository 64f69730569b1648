/**
 * The project's root folder (where package.json is), with a trailing slash. The one such constant.
 * Found by walking up from this module, so it is the same whether the code runs from its sources
 * (`src/lib/`, through tsx) or from the build (`dist/src/lib/`, `node dist/src/main.js`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskError, ErrorCode } from './errors.ts';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
    if (path.dirname(dir) === dir) throw new DeskError(ErrorCode.AssetMissing, `no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
