import type { IncomingMessage } from 'node:http';

/**
 * #12: which web pages may call the hub from a browser. A browser says where a page came from
 * (`Origin`); the hub's own pages come from the hub itself (the origin's host is the request's
 * `Host`), and other sites only when the installation lists them (`ALLOWED_ORIGINS`). Callers
 * that are not browsers (the gateway, scripts, devices) send no Origin and are judged by their
 * credential alone. socket.io's WebSocket upgrade is not covered by CORS at all, so this check is
 * what keeps another site's page from opening the hall's sockets with a visitor's browser.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The same check for a socket.io handshake (`allowRequest`). */
export const handshakeAllowed = (allowed: readonly string[]) => (req: IncomingMessage) =>
  originAllowed(req.headers.origin, req.headers.host, allowed);
