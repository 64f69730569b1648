/**
 * Runs a command's main function: configuration errors print their message (naming the setting)
 * and exit 2; anything else prints and exits 1.
 */
import { ConfigError } from '../config/errors.ts';

export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
