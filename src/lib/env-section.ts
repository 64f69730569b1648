/**
 * How a platform adapter reads its part of the environment, the same way for every adapter: only
 * its own variables, empty strings as unset (as most .env tooling has it), and nothing at all when
 * the variable that turns the platform on is unset, so an off platform's other variables are not
 * checked. Use it as the `z.preprocess` step of an adapter's environment schema.
 */

/** Variables with empty values dropped: an empty string counts as unset. */
export function withoutEmpty(env: unknown): Record<string, string> {
  if (typeof env !== 'object' || env === null) return {};
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

/**
 * A preprocess step picking `keys` from the environment, or returning `{}` when `switchKey` (one
 * of them) is unset or empty.
 */
export function envSection(keys: readonly string[], switchKey: string): (env: unknown) => Record<string, string> {
  return (env) => {
    const set = withoutEmpty(env);
    if (set[switchKey] === undefined) return {};
    return Object.fromEntries(keys.filter((key) => set[key] !== undefined).map((key) => [key, set[key]!]));
  };
}
