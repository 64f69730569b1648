/**
 * Stopping the bot the way a service manager does: SIGTERM to the PID it started. For the
 * production start the README gives operators (`npm run build`, then `node dist/src/main.js`, as
 * the systemd unit and the Dockerfile run it) and for `npm start`: the bot, serving Telegram
 * (polling a local fake) with no terminal, is stopped while a reply is in flight; the reply is
 * delivered, the PID exits 0, and no process of its tree is left running.
 *
 * SQLite only: stopping does not depend on the database, and two projects building dist/ at once
 * would write over each other.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../adapters/telegram/fake-bot-api.ts';
import { freshDatabase, TEST_DIALECT } from '../support/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Sits between the bot and the fake Bot API and holds every sendMessage until `release()`, so a
 * send is in flight when the signal arrives.
 */
class SendGate {
  readonly #server: Server;
  #open = false;
  readonly #waiting: (() => void)[] = [];
  #heldOne: () => void = () => {};
  /** Resolves when the first sendMessage arrives (and is being held). */
  readonly held = new Promise<void>((resolve) => {
    this.#heldOne = resolve;
  });

  private constructor(target: string) {
    const { port } = new URL(target);
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const forward = () => {
          const out = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer: IncomingMessage) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          out.on('error', () => res.destroy());
          out.end(Buffer.concat(chunks));
        };
        if (this.#open || !req.url?.endsWith('/sendMessage')) return forward();
        this.#waiting.push(forward);
        this.#heldOne();
      });
    });
  }

  static async start(target: string): Promise<SendGate> {
    const gate = new SendGate(target);
    await new Promise<void>((resolve) => gate.#server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.#open = true;
    for (const forward of this.#waiting.splice(0)) forward();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

/** Parent PID of every process (Linux /proc). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  return map;
}

/** `root` and every process below it. */
function processTree(root: number): number[] {
  const all = parents();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of all) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Running (a zombie has finished). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr matches `pattern`; rejects after `timeoutMs` or when the process exits first. */
  printed(pattern: RegExp, timeoutMs: number): Promise<void>;
}

function start(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const printed = (pattern: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (pattern.test(stderr)) done();
      };
      const timer = setTimeout(() => done(new Error(`${pattern} not printed within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
      listeners.add(check);
      void exited.then(({ code, signal }) => {
        if (!pattern.test(stderr)) done(new Error(`exited (${code ?? signal}) before printing ${pattern}:\n${stderr}`));
      });
      check();
    });
  return { child, stderr: () => stderr, exited, printed };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    }),
  ]);
}

describe.skipIf(TEST_DIALECT !== 'sqlite' || process.platform !== 'linux')('SIGTERM to the PID an operator starts', () => {
  let fake: FakeBotApi;
  let gate: SendGate;
  let left: number[] = [];

  beforeAll(() => {
    const build = spawnSync(NPM, ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    expect(build.status, `npm run build failed:\n${build.stdout}\n${build.stderr}`).toBe(0);
  }, 180_000);

  afterEach(async () => {
    // Whatever a failed run left behind (processes this test started).
    for (const pid of left) if (running(pid)) process.kill(pid, 'SIGKILL');
    left = [];
    await gate?.close();
    await fake?.close();
  });

  async function stopWhileSending(command: string, args: string[]) {
    fake = await FakeBotApi.start({ token: TOKEN });
    gate = await SendGate.start(fake.apiRoot);
    const bot = start(command, args, {
      DATABASE_URL: await freshDatabase(),
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: gate.apiRoot,
      TELEGRAM_MODE: 'polling',
    });
    await bot.printed(/telegram/, 90_000);
    const tree = processTree(bot.child.pid!);
    left = tree;

    const chat = { id: 4242, type: 'private' as const };
    fake.pushText({ chat, from: { id: 4242, first_name: '张' }, text: '你好' });
    await within(gate.held, 30_000, 'the reply was not sent');
    process.kill(bot.child.pid!, 'SIGTERM');
    await bot.printed(/stopping \(SIGTERM\)/, 30_000);
    gate.release();

    const exit = await within(bot.exited, 30_000, `the bot did not exit:\n${bot.stderr()}`);
    expect(exit, bot.stderr()).toEqual({ code: 0, signal: null });
    expect(fake.sentTo(chat.id).length, 'the reply in flight was delivered').toBeGreaterThan(0);
    expect(tree.filter(running), `processes of ${command} left running`).toEqual([]);
  }

  it('node dist/src/main.js (the production start) finishes the send in flight and exits 0', async () => {
    await stopWhileSending(process.execPath, ['dist/src/main.js']);
  }, 180_000);

  it('npm start stops the bot it started the same way', async () => {
    await stopWhileSending(NPM, ['start']);
  }, 180_000);
});
