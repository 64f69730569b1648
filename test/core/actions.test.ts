import { describe, expect, it } from 'vitest';
import { encodeAction, parseAction, type Action } from '../../src/core/actions.ts';

describe('button payloads', () => {
  const samples: Action[] = [
    { kind: 'menu', item: 'book' },
    { kind: 'svc', code: 'daily_cleaning' },
    { kind: 'slot', at: '202611241400' },
    { kind: 'day', date: '20261125' },
    { kind: 'days' },
    { kind: 'freq', value: 'weekly:2' },
    { kind: 'yes' },
    { kind: 'cancel', id: 42 },
  ];

  it('round-trip and fit in 64 bytes', () => {
    for (const action of samples) {
      const encoded = encodeAction(action);
      expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
      expect(parseAction(encoded)).toEqual(action);
    }
  });

  it('refuse unknown or tampered payloads', () => {
    for (const raw of ['', 'drop', 'svc:', 'svc:DROP TABLE', 'slot:2026', 'cancel:-1', 'cancel:abc', 'yes:1', 'menu:admin', 'freq:weekly:9', 'cancel:99999999999']) {
      expect(parseAction(raw)).toBeUndefined();
    }
  });

  it('treat prototype keys as unknown kinds', () => {
    for (const raw of ['constructor', '__proto__', 'toString', 'constructor:x', '__proto__:1', 'hasOwnProperty:id', 'valueOf:', 'toString:svc']) {
      expect(parseAction(raw)).toBeUndefined();
    }
  });
});
