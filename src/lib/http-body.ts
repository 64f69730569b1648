/**
 * Reading a webhook's request body with a size limit, for the adapters that run their own HTTP
 * endpoint (Telegram's webhook, the WeChat official account's). A body beyond the limit is refused
 * before it is held in memory whole.
 */
import type { IncomingMessage } from 'node:http';
import { DeskError, ErrorCode } from './errors.ts';

/** A request body beyond the endpoint's limit; answer 413. */
export class BodyTooLarge extends DeskError {
  constructor(maxBytes: number) {
    super(ErrorCode.InvalidPayload, `request body larger than ${maxBytes} bytes`);
  }
}

/**
 * The whole body of `req`.
 * @throws BodyTooLarge as soon as more than `maxBytes` have arrived.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new BodyTooLarge(maxBytes);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
