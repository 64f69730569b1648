/**
 * Command-line options of the chat and nlu commands, validated with zod; a bad option is a
 * `UsageError` (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { formatZodIssues, UsageError } from '../lib/errors.ts';

const isoDateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time such as 2026-11-23T10:00:00+08:00');

export const chatArgsSchema = z.object({
  user: z.string().min(1).max(128).default('console-user'),
  room: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a room name of letters, digits, - or _').optional(),
  name: z.string().max(128).optional(),
  now: isoDateTime.optional(),
});

/** `parseArgs`, with an unknown or malformed option as a `UsageError` instead of Node's TypeError. */
function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Parses `--user <id> --name <display name> --now <ISO>`. */
export function parseChatArgs(argv: string[]): z.infer<typeof chatArgsSchema> {
  const { values } = parseOptions({
    args: argv,
    options: { user: { type: 'string' }, name: { type: 'string' }, now: { type: 'string' }, room: { type: 'string' } },
    strict: true,
  });
  const parsed = chatArgsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(`Invalid options:\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/** Parses `[--now <ISO>] <text...>`. */
export function parseNluArgs(argv: string[]): { now?: string; text: string } {
  const { values, positionals } = parseOptions({ args: argv, options: { now: { type: 'string' } }, allowPositionals: true, strict: true });
  const parsed = z.object({ now: isoDateTime.optional() }).safeParse(values);
  if (!parsed.success) throw new UsageError(`Invalid options:\n${formatZodIssues(parsed.error)}`);
  return { now: parsed.data.now, text: positionals.join(' ') };
}
