import { describe, expect, it } from 'vitest';
import { wechatConfigFromEnv, type WechatPersonalConfig } from '../../../adapters/wechat/config.ts';
import { loadPuppet } from '../../../adapters/wechat/puppet.ts';
import { ConfigError } from '../../../src/lib/errors.ts';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('wechatConfigFromEnv', () => {
  it('is off without WECHATY_PUPPET (unset or empty)', () => {
    expect(wechatConfigFromEnv({})).toBeUndefined();
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: '', WECHATY_NAME: 'x' })).toBeUndefined();
  });

  it('reads the puppet, the token and the name, with the default name', () => {
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' })).toEqual({
      puppet: 'wechaty-puppet-wechat4u',
      token: undefined,
      name: 'jiazheng-desk',
    });
    expect(
      wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_xp_1234', WECHATY_NAME: 'shop-2' }),
    ).toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_xp_1234', name: 'shop-2' });
  });

  it('requires the token for wechaty-puppet-service, naming the variable', () => {
    const error = configError(() => wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: '' }));
    expect(error.message).toContain('WECHATY_PUPPET_SERVICE_TOKEN');
  });

  it('accepts only puppet package names', () => {
    for (const bad of ['fs', '../evil', 'wechaty', 'wechaty-puppet-']) {
      expect(configError(() => wechatConfigFromEnv({ WECHATY_PUPPET: bad })).message).toContain('WECHATY_PUPPET');
    }
    expect((wechatConfigFromEnv({ WECHATY_PUPPET: '@juzibot/wechaty-puppet-wxwork' }) as WechatPersonalConfig).puppet).toBe('@juzibot/wechaty-puppet-wxwork');
  });

  it('keeps the token out of error messages', () => {
    const error = configError(() => wechatConfigFromEnv({ WECHATY_PUPPET: 'nope', WECHATY_PUPPET_SERVICE_TOKEN: 'secret-token-42' }));
    expect(error.message).not.toContain('secret-token-42');
  });
});

describe('loadPuppet', () => {
  it('names WECHATY_PUPPET and the install command when the package is not installed', async () => {
    const error = await loadPuppet({ puppet: 'wechaty-puppet-not-installed-here', token: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'WECHATY_PUPPET: the package wechaty-puppet-not-installed-here is not installed (npm install wechaty-puppet-not-installed-here)',
    );
  });

  it('constructs an installed puppet', async () => {
    const puppet = await loadPuppet({ puppet: 'wechaty-puppet-mock', token: undefined });
    expect(puppet.constructor.name).toBe('PuppetMock');
  });
});
