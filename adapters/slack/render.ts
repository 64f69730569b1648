/**
 * Renders the core's `Outbound` as a Slack message: the text in `section` blocks (mrkdwn, escaped)
 * and each row of buttons as an `actions` block. A pressed button comes back as a `block_actions`
 * payload whose action `value` is the button's `action` string (see inbound.ts).
 *
 * Block Kit limits (https://docs.slack.dev/reference/block-kit): 50 blocks per message, section
 * text up to 3000 characters, 25 elements per actions block, button text up to 75 characters,
 * button value up to 2000 characters, action_id unique within the message.
 */
import type { Button, Outbound } from '../../src/contracts/messages.ts';

const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_ACTIONS_PER_BLOCK = 25;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_VALUE = 2000;
/** chat.postMessage truncates `text` beyond this. */
const MAX_MESSAGE_TEXT = 40_000;

/** The parts of Block Kit this adapter sends. */
interface SectionBlock {
  type: 'section';
  text: { type: 'mrkdwn'; text: string };
}
interface ButtonElement {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji: boolean };
  value: string;
}
interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
}
type Block = SectionBlock | ActionsBlock;

/** A rendered message: `text` is the notification and fallback, `blocks` what Slack shows. */
interface RenderedMessage {
  text: string;
  blocks?: Block[];
  /** Buttons that could not be rendered (value over 2000 characters, or over the block limit). */
  dropped: Button[];
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters, so customer-provided
 * text (names, addresses) cannot form links or mentions.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to `max` characters (code points), ending with … when it was longer. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Splits text into pieces of at most `max` characters, preferring line breaks. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Renders one reply. Messages without buttons are sent as plain (escaped) text; messages with
 * buttons get blocks. Pure: the caller logs `dropped`.
 */
export function renderMessage(message: Outbound): RenderedMessage {
  const text = truncate(escapeMrkdwn(message.text), MAX_MESSAGE_TEXT);
  const rows = (message.buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return { text, dropped: [] };

  const blocks: Block[] = [];
  for (const piece of splitText(text, MAX_SECTION_TEXT)) {
    if (blocks.length >= MAX_BLOCKS - 1) break; // keep room for at least one row of buttons
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  const { actions, dropped } = renderButtons(rows, MAX_BLOCKS - blocks.length);
  blocks.push(...actions);
  const fallback = text.length > 0 ? text : rows.flat().map((b) => b.label).join(' | ');
  return { text: fallback, blocks, dropped };
}

/**
 * Renders rows of buttons as actions blocks (a row longer than 25 is split), with action_ids
 * `b0`, `b1`, ... in reading order.
 */
export function renderButtons(rows: Button[][], maxBlocks: number = MAX_BLOCKS): { actions: ActionsBlock[]; dropped: Button[] } {
  const actions: ActionsBlock[] = [];
  const dropped: Button[] = [];
  let index = 0;
  for (const row of rows) {
    let elements: ButtonElement[] = [];
    const flush = () => {
      if (elements.length === 0) return;
      if (actions.length < maxBlocks) actions.push({ type: 'actions', elements });
      elements = [];
    };
    for (const button of row) {
      if (button.action.length > MAX_BUTTON_VALUE || button.action.length === 0) {
        dropped.push(button);
        continue;
      }
      if (actions.length >= maxBlocks) {
        dropped.push(button);
        continue;
      }
      elements.push({
        type: 'button',
        action_id: `b${index}`,
        text: { type: 'plain_text', text: truncate(button.label || button.action, MAX_BUTTON_TEXT), emoji: true },
        value: button.action,
      });
      index += 1;
      if (elements.length === MAX_ACTIONS_PER_BLOCK) flush();
    }
    flush();
  }
  return { actions, dropped };
}
