import type { ZodError } from 'zod';

/** A setting or the company file is wrong; the message names it and says what is wrong. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One line per issue: `  - path.to.field: what is wrong`. */
export function formatZodIssues(error: ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
