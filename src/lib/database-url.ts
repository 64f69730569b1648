/**
 * Facts read from a DATABASE_URL without connecting.
 */

/** Host names that mean "this machine". */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether a PostgreSQL URL points at this machine: localhost, a loopback address, or a unix socket
 * (an empty host, a percent-encoded socket path as host, or a `host=/path` parameter).
 */
export function isLocalPostgresUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const socketParam = parsed.searchParams.get('host');
  if (socketParam !== null) return socketParam.startsWith('/') || LOCAL_HOSTS.has(socketParam);
  const host = decodeURIComponent(parsed.hostname).toLowerCase();
  return host === '' || host.startsWith('/') || LOCAL_HOSTS.has(host);
}
