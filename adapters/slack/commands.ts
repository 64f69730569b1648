/**
 * The app's one slash command (`SLACK_COMMAND`, default `/jiazheng`). Slack treats every message
 * starting with `/` as a slash command and keeps `/join` for itself, so the core's staff commands
 * `/join <code>`, `/done [number]`, `/report [period]`, `/jobs` and `/customer <number>` are subcommands here:
 * `/jiazheng join <code>`, `/jiazheng done [number]`, `/jiazheng report [period]`.
 *
 * Where answers go: the join result (and the usage) only to the person who typed the command
 * (ephemeral, through the payload's response_url), since it is about them and carries their role;
 * `done` and `report` answers in the conversation for everyone (`in_channel`), as they are the staff
 * room's work. Files (report spreadsheets and charts) cannot go through a response_url: they are
 * uploaded to the conversation with files.uploadV2, which needs the bot in that channel.
 */
import { STAFF_WORDS } from './inbound.ts';

/** How the answers to a subcommand are shown. */
export function responseTypeOf(word: (typeof STAFF_WORDS)[number]): 'ephemeral' | 'in_channel' {
  // A join result, a worker's visits and a customer file are for the person who asked only.
  return word === 'join' || word === 'jobs' || word === 'customer' ? 'ephemeral' : 'in_channel';
}

const CORE_COMMAND = /(^|[^\p{L}\p{N}/])\/(join|done|report|jobs|customer)(?![\p{L}\p{N}_-])/gu;

/**
 * The core's texts name its commands as `/join`, `/done`, `/report`, which cannot be typed in
 * Slack: they are shown as the slash command's subcommands (`/jiazheng join`).
 */
export function withSlackCommand(text: string, command: string): string {
  return text.replace(CORE_COMMAND, (_match, before: string, word: string) => `${before}${command} ${word}`);
}

/**
 * The answer to an empty `/jiazheng`, `help` or an unknown subcommand: the three subcommands, one a
 * line, with `…` for their argument. No words: what the bot says comes from the message catalog,
 * which adapters cannot reach (the architecture keeps them to contracts and lib), and the core's
 * own answers explain each command once it is used (`/jiazheng join` alone answers the catalog's
 * join usage). Slack shows the manifest's usage hint while the command is typed.
 */
export function commandUsage(command: string): string {
  return STAFF_WORDS.map((word) => `${command} ${word} …`).join('\n');
}
