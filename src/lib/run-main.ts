/**
 * Runs a command's main function: configuration errors print their message (naming the setting)
 * and exit 2; database errors print their message and exit 1; anything else prints its stack and
 * exits 1.
 */
import { ConfigError, MigrationError } from './errors.ts';

export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof MigrationError) {
      // The database is unreachable or a migration failed: the message says which, a stack adds nothing.
      process.stderr.write(`Database: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
