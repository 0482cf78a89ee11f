// The real server (`node --import tsx server/main.ts`) and its connections, which in-process
// tests never have: a body over the limit refused without breaking the keep-alive connection it
// came on, and a client that hangs up in the middle of its upload logged as one quiet line.
//
// The database follows TEST_DB like the rest of the suite (PGlite in a temporary DATA_DIR, or a
// fresh schema on the PostgreSQL server); neither case reaches it.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

/** Guards against a hang only; no assertion depends on time. */
const HANG_GUARD_MS = 60_000;
const MB = 1024 * 1024;

let server: Server;
let pgSchema: TestDb | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'fidelio-connections-'));

before(async () => {
  const env: Record<string, string> = { DATA_DIR: dataDir };
  if (TEST_DB === 'postgres') {
    pgSchema = await openPostgresSchema();
    env.DATABASE_URL = pgSchema.url!;
  }
  server = await startServer(env);
});
after(async () => {
  killServers();
  await pgSchema?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request through `agent`; rejects when the connection fails (a reset, a refusal). */
function send(agent: Agent, method: string, path: string, body?: Buffer, opts: { chunked?: boolean } = {}): Promise<Answer> {
  const url = new URL(path, server.url);
  const headers: Record<string, string | number> = { origin: url.origin };
  if (body) {
    headers['content-type'] = 'application/json';
    if (!opts.chunked) headers['content-length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers, timeout: HANG_GUARD_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer')));
    if (body && opts.chunked) {
      // Without Content-Length: the limit is found part-way through the stream.
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

/** A JSON body of about `bytes` bytes. */
const bigJson = (bytes: number) => Buffer.from(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(bytes) }));

describe('a body over the limit on a keep-alive connection', { timeout: HANG_GUARD_MS }, () => {
  it('a 1 MB JSON body 10 times on one connection: each time the 413 problem (Connection: close), and the next GET works', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 10; i++) {
        outcomes.push(
          await send(agent, 'POST', '/api/merchant/login', bigJson(MB)).then(
            (a) => `${a.status} ${a.headers['content-type']} ${JSON.parse(a.text).code} connection: ${a.headers.connection}`,
            (err: NodeJS.ErrnoException) => `no answer: ${err.code ?? err.message}`,
          ),
        );
      }
      assert.deepEqual(outcomes, Array(10).fill('413 application/problem+json payload_too_large connection: close'));
      const health = await send(agent, 'GET', '/healthz');
      assert.equal(health.status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('a 1 MB body without Content-Length (chunked), 3 times: the same 413, and the next GET works', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const a = await send(agent, 'POST', '/api/merchant/login', bigJson(MB), { chunked: true });
        assert.equal(a.status, 413);
        assert.equal(JSON.parse(a.text).code, 'payload_too_large');
        assert.equal(a.headers.connection, 'close');
      }
      assert.equal((await send(agent, 'GET', '/healthz')).status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('a body under the limit keeps the connection open', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = await send(agent, 'POST', '/api/merchant/login', bigJson(10 * 1024));
      assert.equal(JSON.parse(a.text).code, 'validation_failed', 'refused for its too long password, not its size');
      assert.equal(a.headers.connection, 'keep-alive');
    } finally {
      agent.destroy();
    }
  });
});

describe('a client that hangs up in the middle of its upload', { timeout: HANG_GUARD_MS }, () => {
  /** Sends the head and `sent` bytes of a body announced (or chunked) bigger, then closes the connection. */
  function hangUp(path: string, sent: number, framing: 'content-length' | 'chunked'): Promise<void> {
    const url = new URL(path, server.url);
    const part = 'x'.repeat(sent);
    const head = [
      `POST ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      `Origin: ${url.origin}`,
      'Content-Type: application/json',
      framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${sent * 10}`,
      '',
      '',
    ].join('\r\n');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(head + (framing === 'chunked' ? `${sent.toString(16)}\r\n${part}\r\n` : part), () => {
          // Long enough for the server to have started reading the body.
          setTimeout(() => socket.destroy(), 200);
        });
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
  }

  const QUIET = /^\[fidelio\] POST \/api\/merchant\/login: the client closed the connection before its request was read$/gm;
  const FAILED = /^\[fidelio\] POST \/api\/merchant\/login failed/gm;

  it('is logged as one quiet line each (stdout), not as a failure with a stack (stderr)', async () => {
    await hangUp('/api/merchant/login', 1000, 'content-length');
    await hangUp('/api/merchant/login', 1000, 'chunked');
    // Until the server has said something about both, one way or the other.
    const said = () => (server.stdout().match(QUIET) ?? []).length + (server.stderr().match(FAILED) ?? []).length;
    while (said() < 2) await new Promise((r) => setTimeout(r, 50));
    assert.doesNotMatch(server.stderr(), FAILED, 'not an error');
    assert.equal((server.stdout().match(QUIET) ?? []).length, 2, server.stdout());
    for (const out of [server.stdout(), server.stderr()]) assert.doesNotMatch(out, /^\s+at /m, 'no stack');
    const agent = new Agent();
    try {
      assert.equal((await send(agent, 'GET', '/healthz')).status, 200, 'the server carries on');
    } finally {
      agent.destroy();
    }
  });
});
