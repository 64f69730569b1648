import { it, expect } from 'vitest';
import { customer } from './transcript.ts';
const lines = (process.env.LINES ?? '').split('|');
it('scratch', async () => {
  const c = customer({ now: process.env.NOW ?? '2026-11-23T10:00:00+08:00', displayName: process.env.NAME });
  for (const l of lines) { await c.send(l); console.log(`> ${l}\n${c.replies.map((r) => r.text + (r.buttons ? `\n   [${r.buttons.flat().map((b) => b.label).join('] [')}]` : '')).join('\n')}`); }
  expect(true).toBe(true);
});
