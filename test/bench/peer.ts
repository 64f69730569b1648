/**
 * The in-memory peer of the booking bench (issue 18): Microsoft Bot Framework's waterfall dialog
 * with `MemoryStorage` (botbuilder-dialogs 4.23, test/bench/peer/waterfall.mjs) doing the same
 * seven-turn booking conversations, in its own process, in the same run as ours.
 *
 * It is not a dependency of the project: botbuilder's postinstall runs `npx rimraf`, which fails
 * when nobody can answer npx's prompt, so `npm install` of the project would break on a fresh
 * clone. It lives in test/bench/peer/ with its own package.json and is installed there on first
 * use with `npm install --ignore-scripts`; when that fails the bench says why and goes on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { figures, type TurnFigures } from './figures.ts';

const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));

export type PeerResult = ({ skipped: false; name: string } & TurnFigures) | { skipped: true; reason: string };

const NAME = 'botbuilder-dialogs 4.23 waterfall, MemoryStorage';

/** Installs the peer into test/bench/peer/node_modules unless it is there; the reason when it cannot be. */
function install(): string | undefined {
  if (existsSync(`${PEER_DIR}node_modules/botbuilder-dialogs/package.json`)) return undefined;
  process.stderr.write('bench: installing the peer (botbuilder-dialogs 4.23) into test/bench/peer/ with npm install --ignore-scripts …\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: PEER_DIR, encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0) return undefined;
  const why = (result.error?.message ?? `${result.stderr ?? ''}`.trim().split('\n').at(-1)) || `npm exited ${result.status}`;
  return `npm install --ignore-scripts in test/bench/peer failed: ${why}`;
}

/** `conversations` measured booking conversations of the peer after `warmUp` unmeasured ones. */
export async function benchPeer(conversations: number, warmUp: number): Promise<PeerResult> {
  const problem = install();
  if (problem) return { skipped: true, reason: problem };
  const child = spawn(process.execPath, [`${PEER_DIR}waterfall.mjs`, String(conversations), String(warmUp)], { cwd: PEER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c));
  });
  const line = stdout.split('\n').find((l) => l.startsWith('DONE '));
  if (code !== 0 || !line) return { skipped: true, reason: `the peer exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}` };
  const report = JSON.parse(line.slice(5)) as { elapsedMs: number; latencies: number[] };
  return { skipped: false, name: NAME, ...figures(conversations, report.latencies, report.elapsedMs) };
}
