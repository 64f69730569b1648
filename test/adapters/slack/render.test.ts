import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, renderMessage, truncate } from '../../../adapters/slack/render.ts';

describe('renderMessage', () => {
  it('sends text without buttons as escaped plain text, without blocks', () => {
    expect(renderMessage({ text: 'A & B <@U1> > C' })).toEqual({ text: 'A &amp; B &lt;@U1&gt; &gt; C', dropped: [] });
  });

  it('puts the text in a section and each row of buttons in an actions block', () => {
    const rendered = renderMessage({
      text: '请选择 <时间>',
      buttons: [
        [
          { label: '上午', action: 'slot:am' },
          { label: '下午', action: 'slot:pm' },
        ],
        [{ label: '其他日期', action: 'slot:other' }],
      ],
    });
    expect(rendered.text).toBe('请选择 &lt;时间&gt;');
    expect(rendered.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '请选择 &lt;时间&gt;' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'b0', text: { type: 'plain_text', text: '上午', emoji: true }, value: 'slot:am' },
          { type: 'button', action_id: 'b1', text: { type: 'plain_text', text: '下午', emoji: true }, value: 'slot:pm' },
        ],
      },
      { type: 'actions', elements: [{ type: 'button', action_id: 'b2', text: { type: 'plain_text', text: '其他日期', emoji: true }, value: 'slot:other' }] },
    ]);
  });

  it('keeps to Block Kit limits: 25 per actions block, 75-character labels, 2000-character values', () => {
    const row = Array.from({ length: 30 }, (_, i) => ({ label: `选项${i}`, action: `a:${i}` }));
    const long = { label: '长'.repeat(80), action: 'x'.repeat(2000) };
    const tooLong = { label: 'too long', action: 'y'.repeat(2001) };
    const rendered = renderMessage({ text: 'pick', buttons: [row, [long, tooLong]] });
    const actions = rendered.blocks?.filter((b) => b.type === 'actions') ?? [];
    expect(actions.map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([25, 5, 1]);
    const ids = actions.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(new Set(ids).size).toBe(31);
    const last = actions[2];
    expect(last?.type === 'actions' && last.elements[0]?.text.text).toBe(`${'长'.repeat(74)}…`);
    expect(rendered.dropped).toEqual([tooLong]);
  });

  it('splits long text into sections of at most 3000 characters', () => {
    const text = Array.from({ length: 200 }, (_, i) => `第${i}行：${'内容'.repeat(20)}`).join('\n');
    const rendered = renderMessage({ text, buttons: [[{ label: 'OK', action: 'ok' }]] });
    const sections = rendered.blocks?.filter((b) => b.type === 'section') ?? [];
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s.type === 'section' && s.text.text.length).toBeLessThanOrEqual(3000);
    expect(sections.map((s) => (s.type === 'section' ? s.text.text : '')).join('\n')).toBe(text);
  });
});

describe('helpers', () => {
  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('*粗体* _斜体_ <!here> &')).toBe('*粗体* _斜体_ &lt;!here&gt; &amp;');
  });
  it('truncates by characters with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
  });
});
