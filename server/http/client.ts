import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The caller's IP (what rate limits count). Behind `proxies` reverse proxies, the
 * X-Forwarded-For hop that many places from the right: each proxy appends the address it saw,
 * so the hops to the left of that one are whatever the client wrote, and never trusted. With
 * fewer hops than proxies, the left-most; with no proxy or no header, the socket's address.
 */
export function clientIp(c: Context, proxies: number): string {
  if (proxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const hop = hops[Math.max(0, hops.length - proxies)];
    if (hop) return hop;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}
