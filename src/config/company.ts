/**
 * Reads the company file (`src/contracts/company.ts` is its shape). Validated with zod at start;
 * a bad file stops the start with a message naming the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { companySchema, type Company } from '../contracts/company.ts';
import { ConfigError, formatZodIssues } from '../lib/errors.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';

/**
 * The sample company shipped with the product and used when COMPANY_FILE is not set. Read from the
 * sources (also when running the build in dist/, which holds no JSON).
 */
export const SAMPLE_COMPANY_FILE = join(PROJECT_ROOT, 'src', 'config', 'company.sample.json');

/**
 * Reads and validates a company file.
 * @throws ConfigError naming the file and every bad field.
 */
export function loadCompany(path: string = SAMPLE_COMPANY_FILE): Company {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`COMPANY_FILE: cannot read ${path} as JSON: ${(cause as Error).message}`);
  }
  const parsed = companySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`COMPANY_FILE (${path}) is invalid:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
