// Which IP the rate limits count (server/http/client.ts): behind TRUST_PROXY proxies, the
// X-Forwarded-For hop the outermost proxy wrote, never one the client wrote itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { clientIp } from '../../server/http/client.ts';

/** The IP `clientIp` finds for a request with these X-Forwarded-For headers, behind `proxies`. */
async function ipOf(proxies: number, ...forwarded: string[]): Promise<string> {
  const app = new Hono().get('/', (c) => c.text(clientIp(c, proxies)));
  const headers = new Headers();
  for (const f of forwarded) headers.append('x-forwarded-for', f);
  return (await app.request('/', { headers })).text();
}

describe('clientIp', () => {
  it('one proxy: the right-most hop, whatever the client put on the left', async () => {
    assert.equal(await ipOf(1, '203.0.113.7'), '203.0.113.7');
    assert.equal(await ipOf(1, '1.2.3.4, 203.0.113.7'), '203.0.113.7');
    assert.equal(await ipOf(1, '9.9.9.9,1.2.3.4,  203.0.113.7 '), '203.0.113.7');
    // Two headers are one list, in order (the proxy appends its own line).
    assert.equal(await ipOf(1, '1.2.3.4', '203.0.113.7'), '203.0.113.7');
  });

  it('two proxies (a CDN, then a load balancer): the second hop from the right', async () => {
    assert.equal(await ipOf(2, '1.2.3.4, 203.0.113.7, 198.51.100.1'), '203.0.113.7');
    assert.equal(await ipOf(2, '203.0.113.7, 198.51.100.1'), '203.0.113.7');
    assert.equal(await ipOf(2, '2001:db8::1, 198.51.100.1'), '2001:db8::1');
  });

  it('fewer hops than proxies: the left-most', async () => {
    assert.equal(await ipOf(3, '203.0.113.7, 198.51.100.1'), '203.0.113.7');
  });

  it('no proxy trusted, or no usable header: the socket’s address (none in process)', async () => {
    assert.equal(await ipOf(0, '1.2.3.4'), 'unknown');
    assert.equal(await ipOf(1), 'unknown');
    assert.equal(await ipOf(1, ' , '), 'unknown');
  });
});
