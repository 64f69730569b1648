import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AdapterStartError, SendError } from '../../src/lib/errors.ts';
import { createLogger } from '../../src/lib/log.ts';

/** A logger at `level` writing to an array of parsed lines. */
function capture(level: string): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger(level, sink) };
}

describe('createLogger', () => {
  it('prints every err as { code, name, message, cause }', () => {
    const { lines, log } = capture('info');
    log.error({ err: new SendError('telegram sendMessage failed: 429', { retryAfterMs: 3000, cause: new Error('Too Many Requests') }) }, 'a');
    log.error({ err: new TypeError('x is not a function') }, 'b');
    log.error({ err: 'just a string' }, 'c');
    expect(lines.map((l) => l.err)).toEqual([
      { code: 'SEND_FAILED', name: 'SendError', message: 'telegram sendMessage failed: 429', cause: 'Too Many Requests' },
      { code: 'UNEXPECTED', name: 'TypeError', message: 'x is not a function' },
      { code: 'UNEXPECTED', name: 'string', message: 'just a string' },
    ]);
  });

  it('adds the stack at debug level', () => {
    const { lines, log } = capture('debug');
    log.warn({ err: new AdapterStartError('slack adapter could not start') }, 'x');
    expect(lines[0]!.err).toMatchObject({ code: 'ADAPTER_START_FAILED', stack: expect.stringContaining('AdapterStartError') });
  });

  it('still redacts phones, addresses, texts and tokens', () => {
    const { lines, log } = capture('info');
    log.info({ phone: '13800138000', booking: { address: '阳光小区3栋501', text: '你好' }, token: 't', err: new Error('e') }, 'x');
    expect(lines[0]).toMatchObject({ phone: '[redacted]', booking: { address: '[redacted]', text: '[redacted]' }, token: '[redacted]' });
    expect(JSON.stringify(lines[0])).not.toContain('13800138000');
  });
});

describe('database errors in logs', () => {
  it('keep their code and where, never the message with query arguments', async () => {
    const { Prisma } = await import('../../src/generated/prisma/client.ts');
    const prismaError = new Prisma.PrismaClientKnownRequestError('Invalid `prisma.staff.create()` invocation: userId "u-13800138000"', {
      code: 'P2002',
      clientVersion: '7',
      meta: { modelName: 'Staff', target: ['channel', 'userId'] },
    });
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "Staff_pkey": Key (userId)=(secret-user) already exists.'), {
      severity: 'ERROR',
      code: '23505',
      table: 'Staff',
    });
    const { lines, log } = capture('debug');
    log.error({ err: prismaError }, 'a');
    log.error({ err: new Error('turn failed', { cause: pgError }) }, 'b');
    expect(lines[0]!.err).toEqual({ code: 'P2002', name: 'PrismaClientKnownRequestError', message: 'database error P2002 (Staff, channel,userId)' });
    expect(lines[1]!.err).toMatchObject({ message: 'turn failed', cause: 'database error 23505 (Staff)' });
    expect(JSON.stringify(lines)).not.toMatch(/13800138000|secret-user/);
  });
});
