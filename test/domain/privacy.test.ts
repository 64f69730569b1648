import { describe, expect, it } from 'vitest';
import { maskAddress, maskPersonalText, maskPhone } from '../../src/domain/privacy.ts';

describe('maskPersonalText (DOMAIN §5)', () => {
  it.each<[string, string]>([
    ['阿姨把电视屏幕划了，打我电话13812345678', '阿姨把电视屏幕划了，打我电话138****5678'],
    ['电话 138 1234 5678 或 +86-139-1234-5678', '电话 138****5678 或 139****5678'],
    ['座机010-12345678找我', '座机010****78找我'],
    ['身份证号110101199003074518登记过', '身份证号110***********4518登记过'],
    ['地址阳光小区3栋2单元501室，东西不见了', '地址阳光小区*栋*单元***室，东西不见了'],
    ['阳光小区3栋501，门口鞋柜', '阳光小区*栋***，门口鞋柜'],
    ['住在12号楼1202', '住在**号楼****'],
    ['就在5-2-1101', '就在*-*-****'],
    ['I live in Room 501, Building 3', 'I live in Room ***, Building *'],
  ])('%s', (text, masked) => {
    expect(maskPersonalText(text)).toBe(masked);
  });

  it('leaves times, prices and booking numbers alone', () => {
    const text = '11月3号约的，明天下午3点，多收了200元，预约号20261124-0003，投诉编号TS2611240001';
    expect(maskPersonalText(text)).toBe(text);
  });

  it('masks structured fields', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('123')).toBe('****');
    expect(maskAddress('阳光小区3栋2单元501')).toBe('阳光小区****');
    expect(maskAddress(null)).toBe('');
  });
});
