/**
 * The optional large-model fallback (issue #12): a message the classifier is unsure of is sent to
 * an OpenAI-compatible chat-completions endpoint (DeepSeek, Qwen, a local server...) that must
 * answer strict JSON `{"intent", "service", "time"}`, validated with zod. Phone numbers, ID
 * numbers and address doors are masked before anything leaves (`maskPersonalText`). A timeout
 * (2 s by default), an HTTP error, bad JSON or an answer outside the schema give `undefined`: the
 * caller then asks its clarifying question. Only this chat's turn waits; other chats go on.
 */
import { z } from 'zod';
import { maskPersonalText } from '../../domain/privacy.ts';
import type { Intent } from '../../domain/nlu/index.ts';
import type { Logger } from '../../lib/log.ts';

const INTENTS = [
  'book', 'price', 'bookings', 'cancel', 'reschedule', 'complain', 'progress', 'human', 'help', 'greet', 'thanks', 'bye', 'report', 'unknown',
] as const satisfies readonly Intent[];

/** The JSON the model must answer with. */
const readingSchema = z
  .object({
    intent: z.enum(INTENTS),
    service: z.string().max(60).nullish(),
    time: z.string().max(60).nullish(),
  })
  .strict();

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().max(4000) }) })).min(1),
});

/** What the fallback read: the intent, and the service and time in the customer's words. */
interface Reading {
  intent: Intent;
  service?: string;
  timeWords?: string;
}

interface LlmFallbackOptions {
  /** The endpoint: a base URL (…/v1) or the full …/chat/completions URL. */
  url: string;
  model: string;
  apiKey?: string;
  /** Default 2000. */
  timeoutMs?: number;
  /** The catalog's service names, so the model answers with one of them. */
  services: readonly string[];
  log: Logger;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
}

function endpoint(url: string): string {
  return /\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/chat/completions`;
}

function instructions(services: readonly string[]): string {
  return [
    'You classify one message a customer sent to a housekeeping company (家政) customer-service chat.',
    'Answer with one JSON object and nothing else: {"intent": ..., "service": ..., "time": ...}.',
    `intent is one of: ${INTENTS.join(', ')}. book = wants a new visit; bookings = asks about visits already booked; complain = reports a problem, or asks for a refund, compensation or a redo; progress = asks about a complaint already made; report = a manager asks for statistics; unknown = anything else.`,
    `service is one of these names or null: ${services.join('、')}.`,
    'time is the words of the message that say when the visit should be (for example "明天下午三点"), or null.',
  ].join('\n');
}

/** Strips a ```json fence some models put around their answer. */
function unfenced(content: string): string {
  return content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
}

/** A fallback function for the core (`understandFallback`), with the settings given. */
export function llmFallback(options: LlmFallbackOptions): (text: string) => Promise<Reading | undefined> {
  const { model, apiKey, services, log } = options;
  const url = endpoint(options.url);
  const timeoutMs = options.timeoutMs ?? 2000;
  const doFetch = options.fetch ?? fetch;
  return async (text) => {
    const started = Date.now();
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({
          model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: instructions(services) },
            { role: 'user', content: maskPersonalText(text.slice(0, 500)) },
          ],
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        log.warn({ status: response.status }, 'NLU fallback: the model answered with an HTTP error');
        return undefined;
      }
      const completion = completionSchema.safeParse(await response.json());
      const content = completion.success ? completion.data.choices[0]?.message.content : undefined;
      let json: unknown;
      try {
        json = content === undefined ? undefined : JSON.parse(unfenced(content));
      } catch {
        json = undefined;
      }
      const reading = readingSchema.safeParse(json);
      if (!reading.success) {
        log.warn('NLU fallback: the model\'s answer is not the JSON asked for');
        return undefined;
      }
      const { intent, service, time } = reading.data;
      return { intent, ...(service ? { service } : {}), ...(time ? { timeWords: time } : {}) };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      log.warn({ ms: Date.now() - started, reason: timedOut ? 'timeout' : error instanceof Error ? error.message : String(error) }, 'NLU fallback failed');
      return undefined;
    }
  };
}
