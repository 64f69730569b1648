/**
 * The one rule for characters that never belong in a customer's text: C0 controls (tab and newline
 * kept), DEL, zero-width marks and bidirectional overrides, which can hide or reorder what staff read.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's purpose.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e]/g;

/** `text` with every control character replaced by a space. */
export function withoutControls(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** `text` without control characters and with runs of whitespace as one space, trimmed. */
export function cleanLine(text: string): string {
  return withoutControls(text).replace(/\s+/g, ' ').trim();
}
