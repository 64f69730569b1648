/**
 * Issue #16, musts 1, 3, 8, 10 and the walkthrough's booking failures, as transcripts: slots that
 * persist (a time alone keeps the day), addresses and names checked for what they are, every
 * field corrected at the summary by button or words, moving through offered slots, two requests
 * in one message, a platform name offered, and the frequency said in the request.
 * Monday 2026-11-23 10:00 in Shanghai.
 */
import { describe, expect, it } from 'vitest';
import { customer } from './transcript.ts';

const NOW = '2026-11-23T10:00:00+08:00';

describe("the README's walkthrough (Talking in your own words)", () => {
  it('plays as written', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['下周三上午想擦玻璃', ['12月2日（周三）可预约的时间', '08:00', '09:00', '10:00', '11:00']],
      ['10点吧', ['好的，玻璃清洁，12月2日（周三）10:00。', '请告诉我服务地址']],
      ['等一下，我想先问问擦玻璃多少钱', ['【玻璃清洁】¥6/平方米', '请告诉我服务地址']],
      ['阳光小区3栋501，李先生，13912345678', '这是一次性服务，还是需要定期上门？'],
      ['单次', ['请核对预约信息', '确认预约', '修改时间', '修改地址', '修改称呼', '修改电话', '修改频次', '不约了']],
      ['地址写错了，改一下', '请告诉我服务地址'],
      ['阳光小区3栋502', '服务地址：阳光小区3栋502'],
      ['换成周四', '上门时间：11月26日（周四）10:00'],
      ['我要投诉', '您还有一个预约没有填完（玻璃清洁、11月26日（周四）10:00）。要放弃它，先办新的事吗？'],
      ['不用了，继续', ['好的，我们接着来：', '请核对预约信息']],
      ['算了', '好的，这次先不约了。刚才填写的预约信息没有保存，也没有下单。'],
    ]);
    expect(c.store.records.bookings).toEqual([]);
  });
});

describe('a time alone keeps the day already agreed', () => {
  it('下周三上午想擦玻璃, then 10点吧: Wednesday at 10, not Tuesday', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['下周三上午想擦玻璃', ['12月2日（周三）可预约的时间', '08:00']],
      ['10点吧', ['12月2日（周三）10:00', '服务地址']],
      ['阳光小区3栋501', '怎么称呼'],
      ['李先生', '手机号码'],
      ['13912345678', '一次性服务'],
      ['就一次', ['上门时间：12月2日（周三）10:00', '服务频次：单次']],
    ]);
  });

  it('the day and the slots offered survive a restart', async () => {
    const c = customer({ now: NOW });
    await c.talk([['下周三上午想擦玻璃', '12月2日（周三）可预约的时间']]);
    c.restart();
    await c.talk([['有没有晚一点的', ['晚一点', '12月2日（周三）12:00']]]);
    c.restart();
    await c.talk([['3点吧', '12月2日（周三）15:00']]);
  });

  it('明天晚上9点 is too late; 那就傍晚5点 is tomorrow at 17:00, not today', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天晚上9点来打扫卫生', ['20:00', '11月24日（周二）08:00']],
      ['那就傍晚5点', ['11月24日（周二）17:00', '服务地址'], { not: '提前' }],
    ]);
  });

  it('at the summary, 改到10点 keeps the day and 换成周四 keeps the time', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['下周三下午三点保洁', '服务地址'],
      ['阳光小区3栋501', '怎么称呼'],
      ['王女士', '手机号码'],
      ['13800138000', '一次性'],
      ['单次', '上门时间：12月2日（周三）15:00'],
      ['改到10点', '上门时间：12月2日（周三）10:00'],
      ['换成周四', '上门时间：11月26日（周四）10:00'],
      ['确认', '预约成功'],
    ]);
    expect(c.store.records.bookings).toHaveLength(1);
  });
});

describe('each slot checked for what it is', () => {
  it('a question at the address step is answered, not taken as the address', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['等一下，我想先问问擦玻璃多少钱', ['玻璃清洁', '¥6/平方米', '服务地址']],
      ['明天吧', '地址好像不完整'],
      ['你们的阿姨有健康证吗？', ['热线', '服务地址']],
      ['阳光小区3栋501', '怎么称呼'],
      ['你们几点上班？', ['08:00–20:00', '怎么称呼']],
      ['明天', '姓氏'],
      ['阳光小区', '姓氏'],
      ['阿姨会说普通话吗？', ['热线', '怎么称呼']],
      ['张先生', '手机号码'],
    ]);
  });
});

describe('a message fills or corrects several slots', () => {
  it('the address with the name and phone fills all three; a correction later goes back and on', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['阳光小区3栋501，李先生，13912345678', '一次性服务'],
      ['等等，地址写错了，应该是阳光小区3栋502', '一次性服务'],
      ['单次', ['服务地址：阳光小区3栋502', '联系人：李先生 13912345678']],
    ]);
  });
});

describe('corrections at the summary, by words or by button', () => {
  async function atSummary() {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['阳光小区3栋501', '怎么称呼'],
      ['李先生', '手机号码'],
      ['13912345678', '一次性'],
      ['单次', '请核对预约信息'],
    ]);
    return c;
  }

  it('地址写错了，改一下 asks the address again and comes back to the summary', async () => {
    const c = await atSummary();
    await c.talk([
      ['地址写错了，改一下', '服务地址'],
      ['幸福小区5栋302', ['请核对预约信息', '服务地址：幸福小区5栋302', '上门时间：11月24日（周二）09:00']],
      ['电话号码留错了', '手机号码'],
      ['13700001111', '联系人：李先生 13700001111'],
      ['地址改成阳光小区3栋502', '服务地址：阳光小区3栋502'],
      ['电话改成13912340000', '13912340000'],
      ['改成每两周一次', '服务频次：每两周1次'],
      ['称呼写错了', '怎么称呼'],
      ['王女士', '联系人：王女士'],
      ['服务改成擦玻璃', ['服务项目：玻璃清洁', '服务地址：阳光小区3栋502', '服务频次：每两周1次']],
      ['还是换成保洁吧', '服务项目：日常保洁'],
      ['不是王女士，是赵先生', '联系人：赵先生'],
      ['不对', ['哪里需要修改', '修改地址']],
      ['阳光小区3栋503', '服务地址：阳光小区3栋503'],
      ['没问题，确认', '预约成功'],
    ]);
    const [booking] = c.store.records.bookings;
    expect(booking).toMatchObject({ address: '阳光小区3栋503', phone: '13912340000', contactName: '赵', salutation: '先生', frequency: 'biweekly' });
  });

  it('every field has a button', async () => {
    const c = await atSummary();
    await c.talk([
      ['[修改地址]', '服务地址'],
      ['人民路88号2单元301', '服务地址：人民路88号2单元301'],
      ['[修改电话]', '手机号码'],
      ['13600001111', '13600001111'],
      ['[修改称呼]', '怎么称呼'],
      ['赵先生', '联系人：赵先生'],
      ['[修改服务]', '哪项服务'],
      ['[空调清洗]', ['服务项目：空调清洗', '服务地址：人民路88号2单元301']],
      ['[修改频次]', '一次性'],
      ['[每月1次]', '服务频次：每月1次'],
      ['[修改时间]', '上门'],
      ['11月26日下午两点', '上门时间：11月26日（周四）14:00'],
    ]);
  });
});

describe('moving through offered slots', () => {
  it('有没有晚一点的, 早一点, 换一天', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['明天上午保洁', ['11月24日（周二）可预约的时间', '11:00'], { not: '12:00' }],
      ['有没有晚一点的', ['晚一点', '11月24日（周二）12:00', '11月24日（周二）17:00']],
      ['早一点', ['早一点', '11月24日（周二）08:00', '11月24日（周二）11:00'], { not: '12:00' }],
      ['晚点的呢', '17:00'],
      ['还有更晚的吗', ['当天没有更晚', '11月25日（周三）08:00']],
      ['换一天', '请选择日期'],
      ['11月27日下午', ['11月27日（周五）可预约的时间', '14:00']],
      ['[15:00]', '服务地址'],
    ]);
  });

  it('第一个 and 最后一个 pick from the slots just offered', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['后天上午擦玻璃', '11月25日（周三）可预约的时间'],
      ['最后一个', '11月25日（周三）11:00'],
    ]);
  });
});

describe('two requests in one message', () => {
  it('books and answers the price, in the order written, then asks the next question', async () => {
    const c = customer({ now: NOW });
    await c.talk([['明天下午三点来做日常保洁，顺便问下擦玻璃怎么收费？', /日常保洁，11月24日（周二）15:00[\s\S]*玻璃清洁[\s\S]*¥6[\s\S]*服务地址/]]);
    expect(c.replies.at(-1)?.text).toContain('服务地址');
  });

  it('two questions with no flow open: both answered', async () => {
    const c = customer({ now: NOW });
    await c.talk([['保洁多少钱？擦玻璃呢？', /日常保洁[\s\S]*¥50[\s\S]*玻璃清洁[\s\S]*¥6/]]);
  });

  it('a question first and a booking after it', async () => {
    const c = customer({ now: NOW });
    await c.talk([['消杀怎么收费？另外明天上午10点想打扫一下卫生', /室内消杀[\s\S]*¥200[\s\S]*日常保洁，11月24日（周二）10:00[\s\S]*服务地址/]]);
  });
});

describe('names and frequency', () => {
  it('a name from the platform is offered for confirmation', async () => {
    const c = customer({ now: NOW, displayName: '张伟' });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['阳光小区3栋501', '称呼您“张伟”可以吗'],
      ['可以', '张伟先生还是张伟女士'],
      ['先生', '手机号码'],
    ]);
  });

  it('another name instead of the platform one', async () => {
    const c = customer({ now: NOW, displayName: 'Lucky🍀' });
    await c.talk([
      ['明天上午9点保洁', '服务地址'],
      ['阳光小区3栋501', '称呼您“Lucky'],
      ['不是，叫我王女士', '王女士，请留下手机号码'],
    ]);
  });

  it('每周二上午9点 sets the frequency: never asked, shown in the summary and in 我的预约', async () => {
    const c = customer({ now: NOW });
    await c.talk([
      ['每周二上午9点来做保洁', '11月24日（周二）09:00'],
      ['阳光小区3栋501', '怎么称呼'],
      ['李先生', '手机号码'],
      ['13912345678', ['服务频次：每周1次', '请核对预约信息'], { not: '一次性服务' }],
      ['确认预约', '预约成功'],
      ['我的预约', ['日常保洁', '11月24日（周二）09:00', '每周1次']],
    ]);
  });

  it('每两周 and 每月 in the request', async () => {
    const biweekly = customer({ now: NOW });
    await biweekly.talk([['每两周来一次保洁，下周一上午10点开始', '11月30日（周一）10:00']]);
    const monthly = customer({ now: NOW, userId: 'monthly' });
    await monthly.talk([['空调清洗每月一次，明天下午两点', '11月24日（周二）14:00']]);
    for (const [c, label] of [[biweekly, '每两周1次'], [monthly, '每月1次']] as const) {
      await c.talk([
        ['阳光小区3栋501', '怎么称呼'],
        ['李先生', '手机号码'],
        ['13912345678', `服务频次：${label}`],
      ]);
    }
  });
});
