/**
 * Runs before every test file (vitest.config.ts `setupFiles`): a test that asserts nothing fails,
 * so a test cannot pass by doing nothing.
 */
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
