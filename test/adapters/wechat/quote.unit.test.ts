/**
 * WeChat replies-with-quote as puppets deliver them as text (padlocal, wechat4u), and the raw app
 * message (type 57) some pass on: split into the reply and the quoted text, the sender's name dropped.
 */
import { describe, expect, it } from 'vitest';
import { splitQuote } from '../../../adapters/wechat/inbound.ts';

const LINE = '- - - - - - - - - - - - - - -';

describe('splitQuote', () => {
  it('splits 「昵称：内容」, the dashed line and the reply', () => {
    expect(splitQuote(`「安家客服：【RG2611230001 客户】阿姨几点到」\n${LINE}\n九点前到`)).toEqual({ text: '九点前到', quoted: '【RG2611230001 客户】阿姨几点到' });
  });

  it('keeps a multi-line quote and a multi-line reply, and a colon inside the quoted text', () => {
    const quoted = '🙋 转人工 RG2611230001\n原因：客户要求人工服务\n客户：张先生 · 138****8000 (wechat)';
    expect(splitQuote(`「安家客服：${quoted}」\n${LINE}\n您好\n我是小李`)).toEqual({ text: '您好\n我是小李', quoted });
  });

  it('reads a half-width colon, CRLF line ends and a shorter dashed line', () => {
    expect(splitQuote(`「Anjia:[RG2611230001 customer] hi」\r\n- - - - - -\r\nhello`)).toEqual({ text: 'hello', quoted: '[RG2611230001 customer] hi' });
  });

  it('reads the raw quote app message (type 57)', () => {
    const xml =
      '<?xml version="1.0"?><msg><appmsg appid="" sdkver="0"><title>九点前到</title><des /><action>view</action><type>57</type>' +
      '<refermsg><type>1</type><svrid>1234</svrid><displayname>安家客服</displayname><content>【RG2611230001 客户】阿姨&lt;几点&gt;到</content></refermsg></appmsg></msg>';
    expect(splitQuote(xml)).toEqual({ text: '九点前到', quoted: '【RG2611230001 客户】阿姨<几点>到' });
  });

  it('leaves other text alone: brackets without the dashed line, a dashed line without the quote', () => {
    for (const text of ['「好的」谢谢', `谢谢\n${LINE}\n再见`, '<b>hi</b>', '']) expect(splitQuote(text)).toEqual({ text });
  });
});
