/**
 * Effects as plain row writes (an insert or an update of one row), and the SQL that runs them, so
 * the turn's direct path (conversations.ts) commits them without Prisma's query compiler, and
 * Prisma's transaction batches run the same inserts (effects.ts, outbox.ts): each row is written
 * by one definition whichever path runs it.
 *
 * A value may be another row's id found by a unique key (`RowRef`, Prisma's `connect`): the work
 * order's booking by its number. When no such row exists the NOT NULL foreign key column refuses
 * the write, which callers read as a stale write (errors.ts), as they read Prisma's P2025 for a
 * `connect` that found nothing.
 */
import { createHash } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { dialect, type Db } from './db.ts';

/** A column's value as the statement binds it. */
export type Cell = string | number | Date | null;

/** The id of the row of `table` whose unique column `by` holds `value`. */
export interface RowRef {
  table: string;
  by: string;
  value: Cell | RowRef;
}

export type Value = Cell | RowRef;

/**
 * One row written. An insert writes exactly one row unless `unlessTaken` names a unique column
 * whose value another row already holds (then nothing: ON CONFLICT DO NOTHING); an update must
 * change exactly one row, like Prisma's `update`. Columns left out take their defaults.
 */
export type RowWrite =
  | { kind: 'insert'; table: string; values: Record<string, Value>; unlessTaken?: string }
  | { kind: 'update'; table: string; set: Record<string, Value>; id: number };

/** Whether the write must change exactly one row (else the turn is stale). */
export function expectsOneRow(write: RowWrite): boolean {
  return write.kind === 'update' || write.unlessTaken === undefined;
}

function isRef(value: Value): value is RowRef {
  return value !== null && typeof value === 'object' && !(value instanceof Date);
}

function sameValue(a: Value | undefined, b: Value): boolean {
  if (a === undefined) return false;
  if (isRef(a) || isRef(b)) return isRef(a) && isRef(b) && a.table === b.table && a.by === b.by && sameValue(a.value, b.value);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return a === b;
}

const quoted = (name: string) => `"${name}"`;

/** How a statement binds a value: the placeholder's text, the value pushed to `values`. */
type Bind = (value: Cell) => string;

/** SQL text and values in the order of its placeholders. */
interface Statement {
  text: string;
  values: Cell[];
}

/**
 * A write as one statement on its own, a row it refers to found in the table: for statements run
 * one after another in one transaction (SQLite, and Prisma's batches on either database).
 * `dialect` picks the placeholders (`?` or `$n`).
 */
export function singleStatement(write: RowWrite, dialect: 'sqlite' | 'postgresql'): Statement {
  const values: Cell[] = [];
  const bind: Bind = (value) => {
    values.push(value);
    return dialect === 'sqlite' ? '?' : `$${values.length}`;
  };
  const render = (value: Value): string => (isRef(value) ? `(SELECT "id" FROM ${quoted(value.table)} WHERE ${quoted(value.by)} = ${render(value.value)})` : bind(value));
  if (write.kind === 'insert') {
    const columns = Object.keys(write.values);
    const rendered = columns.map((c) => render(write.values[c] ?? null));
    const conflict = write.unlessTaken ? ` ON CONFLICT (${quoted(write.unlessTaken)}) DO NOTHING` : '';
    return { text: `INSERT INTO ${quoted(write.table)} (${columns.map(quoted).join(', ')}) VALUES (${rendered.join(', ')})${conflict}`, values };
  }
  const set = Object.entries(write.set).map(([c, v]) => `${quoted(c)} = ${render(v)}`);
  return { text: `UPDATE ${quoted(write.table)} SET ${set.join(', ')} WHERE "id" = ${bind(write.id)}`, values };
}

/**
 * The writes as data-modifying CTEs of one PostgreSQL statement (`ctes`, named `w<i>`), each
 * writing only when the CTE named `guard` returned a row (the turn's version guard), and `counts`:
 * the number of rows each write that must write one wrote, for the statement to check. All CTEs of
 * a statement read the snapshot taken before it, so a `RowRef` to a row inserted by an earlier
 * write of the same statement reads that write's RETURNING instead of the table. Their order of
 * execution is not theirs in the list either: a later insert with the same `unlessTaken` value as
 * an earlier one is left out, as it would write nothing after it. `bind` numbers the placeholders
 * after those already taken.
 */
export function commonTableExpressions(writes: readonly RowWrite[], guard: string, bind: Bind): { ctes: string[]; counts: string[] } {
  const kept = writes.filter((write, i) => {
    const key = write.kind === 'insert' ? write.unlessTaken : undefined;
    if (write.kind !== 'insert' || key === undefined) return true;
    return !writes.slice(0, i).some((w) => w.kind === 'insert' && w.table === write.table && w.unlessTaken === key && sameValue(w.values[key], write.values[key] ?? null));
  });
  const render = (value: Value, before: number): string => {
    if (!isRef(value)) return bind(value);
    for (let j = before - 1; j >= 0; j -= 1) {
      const earlier = kept[j];
      // An insert that may have written nothing (ON CONFLICT) is not a reliable source of the id.
      if (earlier?.kind === 'insert' && earlier.table === value.table && earlier.unlessTaken === undefined && sameValue(earlier.values[value.by], value.value)) {
        return `(SELECT "id" FROM w${j})`;
      }
    }
    return `(SELECT "id" FROM ${quoted(value.table)} WHERE ${quoted(value.by)} = ${render(value.value, before)})`;
  };
  const ctes = kept.map((write, i) => {
    if (write.kind === 'insert') {
      const columns = Object.keys(write.values);
      const rendered = columns.map((c) => render(write.values[c] ?? null, i));
      const conflict = write.unlessTaken ? ` ON CONFLICT (${quoted(write.unlessTaken)}) DO NOTHING` : '';
      return `w${i} AS (INSERT INTO ${quoted(write.table)} (${columns.map(quoted).join(', ')}) SELECT ${rendered.join(', ')} FROM ${guard}${conflict} RETURNING "id")`;
    }
    const set = Object.entries(write.set).map(([c, v]) => `${quoted(c)} = ${render(v, i)}`);
    return `w${i} AS (UPDATE ${quoted(write.table)} SET ${set.join(', ')} WHERE "id" = ${bind(write.id)} AND EXISTS (SELECT 1 FROM ${guard}) RETURNING "id")`;
  });
  const counts = kept.flatMap((write, i) => (expectsOneRow(write) ? [`(SELECT count(*) FROM w${i})`] : []));
  return { ctes, counts };
}

/** Names of PostgreSQL statements prepared once per connection, by their text (see `preparedName`). */
const preparedNames = new BoundedCache<string, string>(64);

/**
 * A name under which pg prepares `text` once per connection (the server parses and plans it
 * once), derived from the text itself so one name never stands for two texts. The texts of
 * generated statements vary only with the kinds of effects in a turn, so there are few.
 */
export function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `w-${createHash('sha1').update(text).digest('base64url')}`;
    preparedNames.set(text, name);
  }
  return name;
}

/**
 * A write as one raw statement for Prisma's transaction batches (`db.$transaction([...])`),
 * resolving to the number of rows written.
 */
export function prismaStatement(db: Db, write: RowWrite): Prisma.PrismaPromise<number> {
  const { text, values } = singleStatement(write, dialect(db));
  return db.$executeRawUnsafe(text, ...values);
}
