/**
 * Photos and files through the real DialogueCore on the in-memory store with a set clock (issue
 * #15 must 3): inside a handover a customer's photo goes to the room as text does (by reference on
 * the same platform; to another platform with the line to send when the outbox cannot carry it);
 * outside one a photo without
 * words gets a polite answer with 转人工 and 反映问题, and a caption is read as text; a malformed
 * media field is refused with a log line.
 */
import { describe, expect, it } from 'vitest';
import { loadCompany } from '../../src/config/company.ts';
import { loadSettings } from '../../src/config/env.ts';
import type { Button, Channel, InboundInput, Media, Outbound } from '../../src/contracts/messages.ts';
import { HANDOVER_KINDS } from '../../src/contracts/outbox.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { createLogger, silentLogger } from '../../src/lib/log.ts';
import { MemoryCoreStore } from '../support/memory-store.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const PHOTO: Media = { kind: 'photo', ref: 'AgACAgQAAxkBAAIBbWc-photo', mime: 'image/jpeg', size: 52_000 };

function setup(log = silentLogger) {
  const store = new MemoryCoreStore();
  const clock = new ManualClock(NOW);
  const settings = loadSettings({});
  const core = new DialogueCore({ store, company: loadCompany(), clock, log, complaints: settings.complaints, survey: settings.survey });
  return { store, clock, core };
}

let messageSeq = 0;

class Chat {
  replies: Outbound[] = [];
  constructor(
    private readonly core: DialogueCore,
    private readonly clock: ManualClock,
    readonly userId: string,
    readonly channel: Channel = 'console',
  ) {}

  async raw(fields: Partial<InboundInput>): Promise<Outbound[]> {
    messageSeq += 1;
    this.replies = await this.core.handle({ channel: this.channel, chatId: this.userId, userId: this.userId, chatType: 'private', messageId: `media${messageSeq}`, at: this.clock.now(), ...fields });
    return this.replies;
  }
  say = (text: string) => this.raw({ text });
  get buttons(): Button[] {
    return this.replies.flatMap((r) => (r.buttons ?? []).flat());
  }
  get text(): string {
    return this.replies.map((r) => r.text).join('\n');
  }
}

/** The customer's messages relayed to the room, in order. */
function relayedToRoom(store: MemoryCoreStore): Outbound[] {
  return store.records.outbox.filter((row) => row.kind === HANDOVER_KINDS.in).map((row) => row.message);
}

describe('photos outside a handover', () => {
  it('answers a photo without words politely, offering a person or a problem report (zh)', async () => {
    const { core, clock } = setup();
    const c = new Chat(core, clock, 'photo-zh');
    await c.raw({ media: PHOTO });
    expect(c.text).toContain('收到您发来的图片');
    expect(c.text).not.toContain('没有完全理解');
    expect(c.buttons.map((b) => b.label)).toEqual(['转人工', '反映问题']);
    // 转人工 hands the customer to a person, who will see the next photo.
    await c.raw({ action: c.buttons[0]!.action });
    expect(c.text).toContain('正在为您转接人工客服');
  });

  it('answers in English to an English-speaking customer, and names a file as a file', async () => {
    const { core, clock } = setup();
    const c = new Chat(core, clock, 'photo-en');
    await c.say('hello');
    await c.raw({ media: { kind: 'document', ref: 'BQACAgQ-doc', name: 'quote.pdf', mime: 'application/pdf' } });
    expect(c.text).toContain('Thank you for the file');
    expect(c.buttons.map((b) => b.label)).toEqual(['Talk to a person', 'Report a problem']);
  });

  it('reads a caption as the message, and inside a flow asks its question again after a bare photo', async () => {
    const { core, clock } = setup();
    const c = new Chat(core, clock, 'photo-caption');
    await c.raw({ text: '明天上午9点保洁', media: PHOTO });
    expect(c.text).toContain('请告诉我服务地址');
    await c.raw({ media: PHOTO });
    expect(c.text).toContain('收到您发来的图片');
    expect(c.text).toContain('请告诉我服务地址');
  });

  it('refuses a malformed media field with a log line, not a crash, and keeps nothing', async () => {
    const lines: string[] = [];
    const { core, clock, store } = setup(createLogger('warn', { write: (line: string) => lines.push(line) }));
    const c = new Chat(core, clock, 'photo-bad');
    await c.raw({ media: { kind: 'gif', ref: 'x' } as unknown as Media });
    expect(c.replies).toEqual([]);
    await c.raw({ media: { kind: 'photo', ref: '' } });
    expect(c.replies).toEqual([]);
    await c.raw({ text: 'hi', media: { kind: 'photo', ref: 'x', mime: 'not a mime' } });
    expect(c.replies).toEqual([]);
    expect(lines.filter((l) => l.includes('inbound event refused'))).toHaveLength(3);
    expect(lines.join('\n')).toContain('media.kind');
    expect(store.records.inbound).toEqual([]);
  });
});

describe('photos inside a handover', () => {
  it('passes a customer photo to a room on the same platform by its reference, with the caption, under the post', async () => {
    const { core, clock, store } = setup();
    const c = new Chat(core, clock, 'photo-relay');
    await c.say('转人工');
    clock.advance(60_000);
    await c.raw({ media: PHOTO });
    expect(c.replies).toEqual([]);
    await c.raw({ text: '这是阿姨打碎的花瓶', media: PHOTO });
    expect(c.replies).toEqual([]);
    const number = store.records.handovers[0]?.number;
    expect(relayedToRoom(store)).toEqual([
      { text: `【${number} 客户】[图片]`, media: PHOTO },
      { text: `【${number} 客户】[图片] 这是阿姨打碎的花瓶`, media: PHOTO },
    ]);
  });

  it('to a room on another platform, gives the outbox the photo to carry and the line to send when it cannot', async () => {
    const { core, clock, store } = setup();
    // A Telegram customer; the front desk (default) is a console room.
    const c = new Chat(core, clock, '5550001', 'telegram');
    await c.say('转人工');
    await c.raw({ text: '漏水的地方', media: PHOTO });
    const doc = { kind: 'document' as const, ref: 'BQAC-doc', name: '合同.pdf' };
    await c.raw({ media: doc });
    const number = store.records.handovers[0]?.number;
    expect(relayedToRoom(store)).toEqual([
      { text: `【${number} 客户】[图片] 漏水的地方`, media: { ...PHOTO, from: 'telegram', unshown: `【${number} 客户】[图片：来自其他平台，此处无法显示] 漏水的地方` } },
      { text: `【${number} 客户】[文件 合同.pdf]`, media: { ...doc, from: 'telegram', unshown: `【${number} 客户】[文件 合同.pdf：来自其他平台，此处无法显示]` } },
    ]);
  });
});
