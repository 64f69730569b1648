/**
 * Loads the puppet provider named by `WECHATY_PUPPET`. Wechaty would import it itself, but a
 * missing package then surfaces as a stack trace from deep inside its start; loading it here turns
 * that into a `ConfigError` naming the variable and the install command.
 */
import type { WechatyBuilder } from 'wechaty';
import { ConfigError } from '../../src/lib/errors.ts';
import type { WechatPersonalConfig } from './config.ts';

/** A puppet instance as `WechatyBuilder.build({ puppet })` accepts it (tests pass a `PuppetMock`). */
export type WechatyPuppet = Exclude<NonNullable<NonNullable<Parameters<typeof WechatyBuilder.build>[0]>['puppet']>, string>;

type PuppetConstructor = new (options?: Record<string, unknown>) => WechatyPuppet;

function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${name}'`);
}

/** The default export of an ES or CommonJS puppet module (the same lookup Wechaty does). */
function puppetConstructor(module: unknown): PuppetConstructor | undefined {
  let current = module as { default?: unknown } | undefined;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (typeof current.default === 'function') return current.default as PuppetConstructor;
    current = current.default as { default?: unknown } | undefined;
  }
  return undefined;
}

/**
 * Imports and constructs the configured puppet; the service token goes in as `token`.
 * @throws ConfigError naming WECHATY_PUPPET when the package is not installed or is not a puppet.
 */
export async function loadPuppet(config: Pick<WechatPersonalConfig, 'puppet' | 'token'>): Promise<WechatyPuppet> {
  const name = config.puppet;
  let module: unknown;
  try {
    module = await import(name);
  } catch (error) {
    if (isMissingPackage(error, name)) {
      throw new ConfigError(`WECHATY_PUPPET: the package ${name} is not installed (npm install ${name})`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`WECHATY_PUPPET: the package ${name} could not be loaded: ${reason}`);
  }
  const Puppet = puppetConstructor(module);
  if (!Puppet) {
    throw new ConfigError(`WECHATY_PUPPET: ${name} has no default export; it is not a Wechaty puppet provider`);
  }
  return new Puppet(config.token === undefined ? {} : { token: config.token });
}
