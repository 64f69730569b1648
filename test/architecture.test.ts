/**
 * The shape of the tree (README "Where things live"): folders form layers, each importing only
 * folders below it. This reads every import of src/ and adapters/ and fails on a cycle between
 * folders or an import a layer may not make, naming the files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;

interface Edge {
  from: string;
  to: string;
  file: string;
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/core/flows/x.ts` -> `src/core`; `src/main.ts` -> `src`; `adapters/slack/x.ts` -> `adapters/slack`. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('adapters')]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3]!;
      const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec;
      out.push({ from: folderOf(file), to: spec.startsWith('.') ? folderOf(target) : `npm:${spec}`, file, target });
    }
  }
  return out;
}

const ALL = edges();
const LOCAL = ALL.filter((e) => !e.to.startsWith('npm:') && e.from !== e.to);

/** Imports from `folder` that reach outside `allowed`, as "file -> target" lines. */
function outside(folder: (name: string) => boolean, allowed: (name: string) => boolean): string[] {
  return LOCAL.filter((e) => folder(e.from) && !allowed(e.to)).map((e) => `${e.file} -> ${e.target}`);
}

describe('the folder import graph', () => {
  it('reads the imports it checks', () => {
    expect(LOCAL.length).toBeGreaterThan(100);
    expect(LOCAL.some((e) => e.from === 'src/core' && e.to === 'src/domain')).toBe(true);
  });

  it('has no cycle between folders', () => {
    const next = new Map<string, Set<string>>();
    for (const e of LOCAL) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, path: string[]): void => {
      state.set(node, 'open');
      for (const to of next.get(node) ?? []) {
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to].join(' -> '));
        else if (!state.has(to)) visit(to, [...path, to]);
      }
      state.set(node, 'done');
    };
    for (const node of next.keys()) if (!state.has(node)) visit(node, [node]);
    const culprits = cycles.map((cycle) => {
      const [a, b] = cycle.split(' -> ');
      return `${cycle}\n    e.g. ${LOCAL.filter((e) => e.from === a && e.to === b).map((e) => `${e.file} -> ${e.target}`)[0]}`;
    });
    expect(culprits).toEqual([]);
  });

  it('keeps the contracts at the bottom: they import nothing of the project', () => {
    expect(outside((f) => f === 'src/contracts', () => false)).toEqual([]);
  });

  it('keeps lib small and below the business: only contracts', () => {
    expect(outside((f) => f === 'src/lib', (t) => t === 'src/contracts')).toEqual([]);
  });

  it('keeps the domain pure: only domain, contracts and lib', () => {
    expect(outside((f) => f === 'src/domain', (t) => t === 'src/contracts' || t === 'src/lib')).toEqual([]);
  });

  it('keeps adapters thin: contracts, lib and other adapters only', () => {
    expect(outside((f) => f.startsWith('adapters'), (t) => t.startsWith('adapters') || t === 'src/contracts' || t === 'src/lib')).toEqual([]);
  });

  it('the scheduler and the outbox never import src/core', () => {
    expect(outside((f) => f === 'src/scheduler' || f === 'src/outbox', (t) => t !== 'src/core')).toEqual([]);
  });

  it('src/features never imports src/core, src/store, src/scheduler or src/outbox', () => {
    expect(outside((f) => f === 'src/features', (t) => !['src/core', 'src/store', 'src/scheduler', 'src/outbox'].includes(t))).toEqual([]);
  });

  it('keeps the store below the core, the features and the sweeps: it implements their interfaces structurally', () => {
    const below = ['src/contracts', 'src/lib', 'src/domain', 'src/config', 'src/generated', 'prisma/tools'];
    expect(outside((f) => f === 'src/store', (t) => below.includes(t))).toEqual([]);
  });

  it('keeps the outbox and the sweeps on contracts and their own interfaces, not on the store\'s classes', () => {
    expect(outside((f) => f === 'src/scheduler' || f === 'src/outbox', (t) => t !== 'src/store')).toEqual([]);
  });

  it('lets only the store touch Prisma and the database', () => {
    const prisma = ALL.filter(
      (e) => (e.to === 'src/generated' || /^npm:(@prisma\/|pg$|better-sqlite3$)/.test(e.to)) && e.from !== 'src/store' && e.from !== 'src/generated',
    );
    expect(prisma.map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });
});

describe('README "Where things live"', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Where things live');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const folders = [...new Set(LOCAL.flatMap((e) => [e.from, e.to]).filter((f) => f !== 'src/generated' && !f.startsWith('prisma')))];

  it('has a row for every folder of src/ and adapters/', () => {
    expect(start).toBeGreaterThan(0);
    const missing = folders.filter((folder) => {
      if (folder === 'src') return !section.includes('`src/app.ts`');
      if (folder.startsWith('adapters')) return !section.includes('`adapters/<platform>`');
      return !section.includes(`\`${folder}\``);
    });
    expect(missing).toEqual([]);
  });

  it('says truly what each folder imports', () => {
    const wrong: string[] = [];
    for (const row of section.split('\n').filter((line) => /^\| `(src|adapters)\/[a-z<>]+`/.test(line))) {
      const cells = row.split(' | ');
      const folder = /`([^`]+)`/.exec(cells[0]!)![1]!;
      const named = cells.at(-1)!.replace(/\(.*?\)/g, '');
      const allowed = new Set([
        ...[...named.matchAll(/\b(contracts|lib|domain|i18n|config|features|store|core)\b/g)].map((m) => `src/${m[1]}`),
        ...[...named.matchAll(/`([^`]+)`/g)].map((m) => (m[1]!.endsWith('.ts') ? folderOf(m[1]!) : m[1]!)),
      ]);
      const isRow = folder === 'adapters/<platform>' ? (f: string) => f.startsWith('adapters') : (f: string) => f === folder;
      const others = folder === 'adapters/<platform>' ? (t: string) => t.startsWith('adapters') : () => false;
      wrong.push(...outside(isRow, (t) => allowed.has(t) || others(t) || t === 'src/generated'));
    }
    expect(wrong).toEqual([]);
  });

  it('names only files and folders that exist', () => {
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    const named = rows.flatMap((row) => {
      const folder = /^\| `([^`]+)`/.exec(row)![1]!;
      const base = folder.endsWith('.ts') ? '' : folder.replace(/<platform>$/, 'telegram');
      return [...row.matchAll(/`([a-z][\w./<>-]*)`/g)].map((m) => m[1]!).filter((name) => /\.ts$|\/$|^src\/|^adapters\/|^prisma\/|^test\//.test(name)).map((name) =>
        name === folder || /^(src|adapters|prisma|test)\b/.test(name) ? name.replace(/<platform>/, 'telegram') : `${base}/${name}`.replace(/^\//, ''),
      );
    });
    expect(named.length).toBeGreaterThan(20);
    const absent = named.filter((name) => !existsSync(join(ROOT, name)) && !existsSync(join(ROOT, `${name}.ts`)));
    expect(absent).toEqual([]);
  });
});
