/**
 * A promise with its resolve function outside it, for tests that wait on an event instead of a
 * guessed delay (Promise.withResolvers needs Node 22; the project supports Node 20).
 */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  /** True once `resolve` was called. */
  readonly settled: boolean;
}

/** A promise to resolve later, e.g. from inside a fake when the awaited event happens. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let settled = false;
  const promise = new Promise<T>((r) => (resolve = r));
  return {
    promise,
    resolve: (value: T) => {
      settled = true;
      resolve(value);
    },
    get settled() {
      return settled;
    },
  };
}
