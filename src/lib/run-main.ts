/**
 * Runs a command's main function and decides its exit code by the error's code: a bad setting or
 * command line (CONFIG_INVALID, USAGE) prints its message, which names the setting, and exits 2;
 * a database that cannot be reached or migrated (MIGRATION_FAILED) prints one `Database: ` line
 * and exits 1; anything else prints its stack and exits 1.
 */
import { ErrorCode, hasCode } from './errors.ts';

export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (hasCode(error, ErrorCode.ConfigInvalid) || hasCode(error, ErrorCode.Usage)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (hasCode(error, ErrorCode.MigrationFailed)) {
      // The message says which (unreachable, or which migration failed); a stack adds nothing.
      process.stderr.write(`Database: ${error.message}\n`);
      // Prisma's own cause, for whoever debugs the engine (DEBUG=prisma*).
      if (/prisma/i.test(process.env.DEBUG ?? '') && error.cause) process.stderr.write(`${String(error.cause)}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
