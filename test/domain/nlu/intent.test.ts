import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { detectIntent, detectLocale, detectService, type Intent } from '../../../src/domain/nlu/intent.ts';
import { understand, type Understanding } from '../../../src/domain/nlu/index.ts';
import type { Service } from '../../../src/contracts/company.ts';

const catalog = (
  JSON.parse(readFileSync(new URL('../../../src/config/company.sample.json', import.meta.url), 'utf8')) as {
    catalog: Service[];
  }
).catalog;

const NOW = new Date('2026-11-23T10:00:00+08:00'); // Monday
const ctx = { now: NOW, zone: 'Asia/Shanghai', catalog };

const intents: Record<Intent, string[]> = {
  help: ['你好', '您好', '在吗', '哈喽', 'hi', 'Hi!', 'hello', 'Hello there', '帮助', '菜单', '能做什么', '你们能做什么？', '有什么服务', '有哪些服务', 'help', 'menu', 'start', '/start', '/help', 'what can you do'],
  price: ['多少钱', '价格', '收费', '怎么收费', '价目表', '报价', 'price', 'prices?', 'how much', 'How much is it?', 'cost', 'what does it cost', '保洁多少钱', '空调清洗怎么收费'],
  book: [
    '预约', '预订', '下单', '我要约', '想约', '帮我约', '想请个阿姨', '需要保洁', '我想找人打扫', '明天来打扫一下',
    '安排一次开荒', 'book', 'booking a cleaning', 'I need a cleaner', 'schedule', '日常保洁', '空调清洗', '月嫂',
    '擦玻璃', '我想预约明天下午三点的保洁', 'I want to book a cleaning tomorrow at 3pm', '需要提前几天预约',
  ],
  bookings: ['我的预约', '我的订单', '查订单', '查一下预约', '预约记录', '我约了什么', 'my bookings', 'my orders', 'show bookings', 'Show me my bookings'],
  cancel: ['取消预约', '取消订单', '不要了', '不约了', '退订', 'cancel', 'Cancel my booking', '取消明天的保洁', '我不约了，谢谢', '取消我的预约'],
  reschedule: ['改时间', '改期', '换个时间', '改约', '推迟', '提前', '延期', '改到明天', 'reschedule', 'change the time', 'move my booking', '把保洁改到周六', '我的预约能推迟一天吗', '把我的预约改到下周二'],
  complain: [
    '投诉', '我要投诉', '不满意', '太差了', '阿姨把花瓶打碎了', '打碎', '弄坏', '损坏', '上次说好的没来', '没来', '迟到',
    '态度差', '态度不好', '偷', '丢了', 'complain', 'complaint', 'broke', 'damaged', "didn't show up", 'didn’t show up',
    'rude', '我要投诉保洁阿姨', 'The cleaner was rude', 'She broke my vase',
  ],
  human: ['人工', '转人工', '人工客服', '客服', '找人工', '真人', 'human', 'agent', 'talk to a person', 'I want to speak to someone', 'Human please'],
  unknown: ['', '   ', '天气不错', 'asdfgh', '123', '😀', '谢谢', 'thanks'],
};

describe('detectIntent', () => {
  for (const [intent, texts] of Object.entries(intents)) {
    it.each(texts)(`%j -> ${intent}`, (text) => {
      expect(detectIntent(text)).toBe(intent);
    });
  }

  it.each<[string, Intent]>([
    ['取消明天的保洁', 'cancel'], // not book
    ['把保洁改到周六', 'reschedule'], // not book
    ['我要投诉保洁阿姨', 'complain'], // not book
    ['保洁多少钱', 'price'], // not book
    ['我的预约', 'bookings'], // not book
    ['取消我的预约', 'cancel'], // not bookings
    ['把我的预约改到周六', 'reschedule'], // not bookings
    ['阿姨迟到了，我要取消', 'complain'], // a complaint comes first
    ['转人工，我要改时间', 'human'],
    ['你好，我想预约保洁', 'book'], // a greeting with a request is the request
    ['你好，日常保洁', 'book'],
    ['人工费多少钱', 'price'], // 人工费 is a labour fee, not a human agent
    ['客服你好，我想下单', 'book'],
    ['还没来得及看', 'unknown'],
  ])('precedence: %j -> %s', (text, intent) => {
    expect(detectIntent(text)).toBe(intent);
  });
});

describe('detectService', () => {
  it.each<[string, string | undefined]>([
    ['日常保洁', 'daily_cleaning'],
    ['保洁多少钱', 'daily_cleaning'],
    ['打扫卫生', 'daily_cleaning'],
    ['钟点工', 'daily_cleaning'],
    ['厨房深度清洁', 'kitchen_deep'], // the name, not daily_cleaning via 清洁
    ['厨房保洁', 'kitchen_deep'], // longer synonym beats 保洁
    ['开荒保洁', 'post_renovation'],
    ['装修开荒', 'post_renovation'],
    ['擦玻璃', 'glass_cleaning'],
    ['灭蟑螂', 'pest_control'],
    ['家里有蟑螂', 'pest_control'],
    ['洗空调', 'ac_cleaning'],
    ['空调清洗', 'ac_cleaning'],
    ['洗窗帘', 'curtain_cleaning'],
    ['住家保姆', 'nanny'],
    ['月嫂', 'maternity_nurse'],
    ['育儿嫂', 'childcare'], // the name beats the synonym 育儿 of the same service
    ['上门做饭', 'cooking'],
    ['照顾老人', 'elder_care'],
    ['绿化植物', 'plant_care'],
    ['Daily cleaning', 'daily_cleaning'],
    ['KITCHEN DEEP CLEANING please', 'kitchen_deep'],
    ['I need window cleaning', 'glass_cleaning'], // longer English synonym beats "cleaning"
    ['AC cleaning', 'ac_cleaning'],
    ['house cleaning', 'daily_cleaning'],
    ['a cook', 'cooking'],
    ['cooking', 'cooking'],
    ['pesticide', undefined], // "pest" only as a whole word
    ['cockroaches everywhere', 'pest_control'], // English plural
    ['pests', 'pest_control'],
    ['cockroach', 'pest_control'],
    ['你好', undefined],
    ['有什么服务', undefined],
    ['', undefined],
  ])('%j -> %s', (text, code) => {
    expect(detectService(text, catalog)).toBe(code);
  });

  it('prefers exact names over synonyms', () => {
    const mini = [
      { code: 'a', name: '保洁', nameEn: 'A', synonyms: [] },
      { code: 'b', name: '别的', nameEn: 'B', synonyms: ['开荒保洁'] },
    ];
    expect(detectService('开荒保洁', mini)).toBe('a');
  });
  it('returns undefined for an empty catalog', () => {
    expect(detectService('日常保洁', [])).toBeUndefined();
  });
});

describe('detectLocale', () => {
  it.each<[string, 'zh' | 'en']>([
    ['hello', 'en'],
    ['I need a cleaner tomorrow at 3pm', 'en'],
    ['OK', 'en'],
    ['你好', 'zh'],
    ['hello 你好', 'zh'],
    ['明天 3pm', 'zh'],
    ['ok，好的', 'zh'],
    ['123', 'zh'],
    ['', 'zh'],
    ['😀', 'zh'],
  ])('%j -> %s', (text, locale) => {
    expect(detectLocale(text)).toBe(locale);
  });
});

describe('understand', () => {
  it.each<[string, Understanding]>([
    [
      '明天下午三点日常保洁',
      {
        intent: 'book', serviceCode: 'daily_cleaning', locale: 'zh',
        when: { date: '2026-11-24', time: '15:00' }, start: '2026-11-24T15:00:00.000+08:00', precision: 'minute',
      },
    ],
    ['保洁多少钱', { intent: 'price', serviceCode: 'daily_cleaning', locale: 'zh' }],
    ['我的预约', { intent: 'bookings', locale: 'zh' }],
    [
      '把保洁改到周六下午',
      {
        intent: 'reschedule', serviceCode: 'daily_cleaning', locale: 'zh',
        when: { date: '2026-11-28', period: 'afternoon' }, start: '2026-11-28T14:00:00.000+08:00', precision: 'period',
      },
    ],
    [
      '下周二',
      { intent: 'unknown', locale: 'zh', when: { date: '2026-12-01' }, start: '2026-12-01T00:00:00.000+08:00', precision: 'day' },
    ],
    [
      '三点',
      { intent: 'unknown', locale: 'zh', when: { time: '15:00' }, start: '2026-11-23T15:00:00.000+08:00', precision: 'minute' },
    ],
    ['绿化植物', { intent: 'book', serviceCode: 'plant_care', locale: 'zh' }], // a catalog service alone is a booking
    ['house sitting', { intent: 'book', serviceCode: 'home_custody', locale: 'en' }],
    ['hello', { intent: 'help', locale: 'en' }],
    [
      'I need window cleaning tomorrow at 3pm',
      {
        intent: 'book', serviceCode: 'glass_cleaning', locale: 'en',
        when: { date: '2026-11-24', time: '15:00' }, start: '2026-11-24T15:00:00.000+08:00', precision: 'minute',
      },
    ],
  ])('%j', (text, expected) => {
    expect(understand(text, ctx)).toStrictEqual(expected);
  });

  it('reports start with the offset of the company zone (America/New_York)', () => {
    const ny = { ...ctx, zone: 'America/New_York' }; // NOW is Sunday 2026-11-22 21:00 there
    expect(understand('明天下午三点', ny)).toStrictEqual({
      intent: 'unknown', locale: 'zh',
      when: { date: '2026-11-23', time: '15:00' }, start: '2026-11-23T15:00:00.000-05:00', precision: 'minute',
    });
    expect(understand('tomorrow at 3pm', ny).start).toBe('2026-11-23T15:00:00.000-05:00');
    // After the switch to daylight saving time the offset is -04:00.
    expect(understand('3月15日上午10点', ny).start).toBe('2027-03-15T10:00:00.000-04:00');
  });

  const hostile = [
    '', '\u0000', '😀'.repeat(1000), '<script>alert(1)</script>', "'; DROP TABLE bookings; --", '\uD800',
    'x'.repeat(100_000), '保洁'.repeat(50_000), `a${' '.repeat(100_000)}b`, 'talk to '.repeat(12_000), 'pest'.repeat(25_000),
  ];
  it.each(hostile.map((text) => [`${text.slice(0, 20)}… (${text.length})`, text]))('never throws on %s', (_label, text) => {
    expect(() => understand(text, ctx)).not.toThrow();
    expect(() => detectIntent(text)).not.toThrow();
    expect(() => detectService(text, catalog)).not.toThrow();
    expect(() => detectLocale(text)).not.toThrow();
  });
});
