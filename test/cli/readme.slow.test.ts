/**
 * Every example of README.md that runs offline, run as the README shows it and compared with what
 * the README prints: the `npm run nlu` examples (the JSON fields shown), the `printf … | npm run
 * chat` pipelines (the transcript lines shown), and the complaint-path walkthrough (the room the
 * README names gets the post, the actions it names work there, and the customer sees the notices it
 * names at the next start). Each example gets a fresh SQLite file. Not run here: the blocks that
 * install or build (`npm ci`, `npm test`, `npm run build`, the deployment's), which need the
 * registry or minutes; `npm start`'s console customer is played by `npm run chat -- --user
 * console-user`, as `npm start` without a terminal serves instead of chatting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/database.ts';
import { runScript } from '../support/processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The file an `npm run <name>` script runs with tsx (`"chat": "tsx src/cli/chat.ts"`). */
function scriptFile(name: string): string {
  const file = /^tsx (\S+)$/.exec(SCRIPTS[name] ?? '')?.[1];
  if (!file) throw new Error(`package.json script "${name}" is not "tsx <file>"`);
  return file;
}

/** Shell words of an argument list: single- and double-quoted words, with printf's \n in single quotes kept as typed. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function run(script: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  return runScript(scriptFile(script), args, { ...opts, logLevel: 'error', timeoutMs: 30_000 });
}

/** The fenced `sh` blocks of the README, each with the heading it is under. */
function shBlocks(): { heading: string; lines: string[] }[] {
  const blocks: { heading: string; lines: string[] }[] = [];
  let heading = '';
  let current: string[] | null = null;
  for (const line of README.split('\n')) {
    if (current) {
      if (line.trim() === '```') {
        blocks.push({ heading, lines: current });
        current = null;
      } else current.push(line);
    } else if (/^#{1,4} /.test(line)) heading = line.replace(/^#+ /, '');
    else if (line.trim() === '```sh') current = [];
  }
  return blocks;
}

/** `$ command` lines followed by the lines it prints (up to the next `$` line or a blank line before one). */
function transcripts(): { command: string; output: string[] }[] {
  const found: { command: string; output: string[] }[] = [];
  for (const block of shBlocks()) {
    for (const line of block.lines) {
      if (line.startsWith('$ ')) found.push({ command: line.slice(2), output: [] });
      else if (found.length > 0 && line.trim() !== '' && block.lines.some((l) => l.startsWith('$ '))) found.at(-1)!.output.push(line);
    }
  }
  return found;
}

const examples = transcripts();

describe('README examples', () => {
  it('has the examples this test knows how to run', () => {
    expect(examples.filter((e) => e.command.startsWith('npm run nlu')).length).toBeGreaterThan(0);
    expect(examples.filter((e) => /^printf .* \| npm run chat/.test(e.command)).length).toBeGreaterThan(0);
    expect(shBlocks().some((b) => b.heading.startsWith('Trying the complaint path'))).toBe(true);
    expect(shBlocks().some((b) => b.heading.startsWith('Trying a work order'))).toBe(true);
  });

  for (const example of examples.filter((e) => e.command.startsWith('npm run nlu -- '))) {
    it(`prints what it shows: ${example.command}`, () => {
      const out = run('nlu', words(example.command.slice('npm run nlu -- '.length)));
      expect(out.code).toBe(0);
      // The README shows some fields and elides the rest with "...".
      const shown = JSON.parse(example.output.join('').replace(/,\.\.\.\}$/, '}')) as Record<string, unknown>;
      expect(JSON.parse(out.stdout)).toMatchObject(shown);
    }, 30_000);
  }

  for (const example of examples.filter((e) => /^printf .* \| npm run chat -- /.test(e.command))) {
    it(`prints what it shows: ${example.command}`, async () => {
      const [printf, chat] = example.command.split(' | ');
      const input = words(printf!)[1]!.replace(/\\n/g, '\n');
      const out = run('chat', words(chat!.slice('npm run chat -- '.length)), { input, env: { DATABASE_URL: await freshDatabase() } });
      expect(out.code).toBe(0);
      expect(example.output.length).toBeGreaterThan(0);
      const printed = out.stdout.split('\n').map((l) => l.trimEnd());
      for (const line of example.output) expect(printed).toContain(line.trimEnd());
    }, 30_000);
  }

  it('the complaint path: the post reaches the room the README names, and the actions it names work there', async () => {
    const block = shBlocks().find((b) => b.heading.startsWith('Trying the complaint path'))!;
    const text = block.lines.join('\n');
    // Terminal 1 is `npm start`, whose console chat is customer console-user; without a terminal
    // `npm start` serves instead, so the customer's lines go through `npm run chat` as that user.
    const typed = /type (\S+?), then answer (.+)$/m.exec(text);
    expect(typed, 'terminal 1 names what to type and answer').not.toBeNull();
    const answers = typed![2]!.split(/,\s*/).map((a) => a.replace(/\s*\(.*\)$/, '').trim());
    const env = { DATABASE_URL: await freshDatabase() };
    const customer = run('chat', ['--user', 'console-user'], { input: `${[typed![1], ...answers].join('\n')}\n`, env });
    expect(customer.code).toBe(0);
    const number = /编号：(TS\d+)/.exec(customer.stdout)?.[1];
    expect(number, customer.stdout).toBeDefined();

    const roomLine = block.lines.find((l) => l.startsWith('npm run chat -- --room '))!;
    const roomArgs = words(roomLine.replace(/#.*$/, '').slice('npm run chat -- '.length));
    const room = roomArgs[roomArgs.indexOf('--room') + 1]!;
    const name = roomArgs[roomArgs.indexOf('--name') + 1]!;
    const join = /\/join (\S+)/.exec(text)?.[1];
    const claim = /press (\d+) \(认领\)/.exec(text)?.[1];
    const resolve = /(\d+) \(处理完成\)/.exec(text)?.[1];
    expect([join, claim, resolve].every(Boolean), 'the walkthrough names the code and the buttons').toBe(true);
    const staff = run('chat', roomArgs, { input: `/join ${join}\n${claim}\n${resolve}\n已向客户道歉并照价赔偿花瓶\n`, env });
    expect(staff.code).toBe(0);
    expect(staff.stdout).toContain(`[${room}]`);
    expect(staff.stdout).toContain(`【投诉 ${number}】`);
    expect(staff.stdout).toContain(`投诉 ${number} 已由${name}认领`);
    expect(staff.stdout).toContain(`投诉 ${number} 已由${name}处理完成，处理结果将发送给客户`);
    // "The customer's terminal shows the notices (...) as they arrive, or at the next start".
    const notices = [...(/shows the notices \(([^)]*)\)/.exec(README.replace(/\s*\n\s*/g, ''))?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(notices.length).toBeGreaterThan(0);
    const again = run('chat', ['--user', 'console-user'], { env });
    expect(again.code).toBe(0);
    for (const notice of notices) expect(again.stdout).toMatch(new RegExp(notice.split('…').join('.*')));
    // The room the README says the grade goes to is the room it shows.
    const grade = /【投诉 TS\d+】(\S+) ·/.exec(staff.stdout)?.[1];
    expect(new RegExp(`${grade} to \`${room}\``).test(README), `README routes ${grade} to ${room}`).toBe(true);
    // Three processes one after another, each allowed 30 s (`run`): on a busy machine the test
    // needs their time, not one process's (it timed out at 30 s under a parallel type check).
  }, 120_000);

  it('the work order walkthrough: each chat, in the order shown, with what it types and presses', async () => {
    const block = shBlocks().find((b) => b.heading.startsWith('Trying a work order'))!;
    // Each `npm run chat -- …` line, then what is typed: the comment on its line or the `#` lines under it.
    const steps: { args: string[]; does: string }[] = [];
    for (const line of block.lines) {
      if (line.startsWith('npm run chat -- ')) {
        const [command, comment = ''] = line.split(/\s+#\s+/);
        steps.push({ args: words(command!.slice('npm run chat -- '.length)), does: comment });
      } else if (/^#\s+/.test(line) && steps.length) steps.at(-1)!.does += ` ${line.replace(/^#\s+/, '')}`;
    }
    // What is typed: "/join x", "1 (label)" as 1, plain words; what is only shown is not typed.
    const typed = (does: string): string[] =>
      does
        .replace(/^.*?:\s+/, '')
        .split(/[,;]\s*then\s+|\s+then\s+|\s+and type\s+|,\s*/)
        .map((part) => part.trim())
        .filter((part) => /^(\/|\d+ \(|\d+$|[\p{Script=Han}A-Za-z])/u.test(part) && !/^(the |请您确认)/.test(part))
        .map((part) => part.replace(/^(\d+) \(.*\)$/, '$1'));
    const env = { DATABASE_URL: await freshDatabase() };
    const outputs: string[] = [];
    for (const step of steps) {
      const input = typed(step.does);
      const out = run('chat', step.args, { input: input.length ? `${input.join('\n')}\n` : '', env });
      expect(out.code, out.stderr).toBe(0);
      outputs.push(out.stdout);
    }
    const all = outputs.join('\n');
    expect(outputs[0]).toContain('部门：保洁部');
    expect(outputs[1]).toContain('预约成功');
    expect(outputs[2]).toMatch(/【派工单 JZ\d{10}】日常保洁/);
    expect(outputs[2]).toContain('张先生 138****8000');
    expect(outputs[2]).toContain('派给王师傅，等待其接单');
    expect(outputs[3]).toContain('地址：阳光小区3栋501');
    expect(outputs[3]).toContain('已接单');
    expect(outputs[4]).toContain('将由服务人员王师傅于11月24日（周二）09:00上门');
    // The worker's terminal at the visit is the transcript the README prints.
    const shown = README.split('What the worker\'s terminal shows at the day of the visit:')[1]!.split('```')[1]!;
    const number = /JZ\d{10}/.exec(outputs[1]!)![0];
    const printed = outputs[5]!.split('\n').map((l) => l.trimEnd());
    for (const line of shown.split('\n').filter((l) => l.trim())) expect(printed).toContain(line.replace(/JZ\d{10}/g, number).trimEnd());
    expect(outputs[6]).toContain('费用：¥330');
    expect(outputs[6]).toContain('感谢您的确认');
    expect(all).toContain('服务人员已标记完成，请您确认');
  }, 120_000);
});
