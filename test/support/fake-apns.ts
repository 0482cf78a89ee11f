// A local stand-in for the Apple Push Notification service (HTTP/2 + TLS with a required client
// certificate), and a throwaway PKI for it made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** How the fake answers one request. `hang` never answers; `drop` destroys the whole connection. */
export type FakeAnswer =
  { status: number; reason?: string; headers?: Record<string, string>; /** wait before answering */ delayMs?: number } | 'hang' | 'drop';

export interface ReceivedPush {
  method: string;
  path: string;
  token: string;
  topic: string | undefined;
  headers: http2.IncomingHttpHeaders;
  body: string;
  /** e.g. `UID=pass.test.fidelio, CN=Pass Type ID: pass.test.fidelio, OU=TEAMTEST01, O=Test, C=US` */
  clientCertSubject: string;
  /** Which HTTP/2 session (connection) carried it, numbered from 1. */
  sessionId: number;
}

export interface FakeApns {
  /** `https://localhost:PORT` */
  readonly url: string;
  readonly received: ReceivedPush[];
  /** HTTP/2 sessions accepted so far. */
  readonly sessions: number;
  /** TLS handshakes the server refused (e.g. a client certificate from an unknown CA). */
  readonly tlsErrors: number;
  /** Most streams in flight at once (received, not yet closed). */
  readonly maxInFlight: number;
  /** Answer for tokens with nothing queued; default 200 with an `apns-id` header. */
  defaultAnswer: FakeAnswer;
  /** Queues answers for a token, used one per request in order; then the default answer applies. */
  respond(token: string, ...plan: FakeAnswer[]): void;
  /** Resolves once `received.length >= n`; rejects after timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeApns(o: {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** PEM CA that must have issued the client certificate. */
  requireClientCa: string;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces (Node's default otherwise). */
  maxConcurrentStreams?: number;
}): Promise<FakeApns> {
  const server = http2.createSecureServer({
    key: o.serverKeyPem,
    cert: o.serverCertPem,
    ca: o.requireClientCa,
    requestCert: true,
    rejectUnauthorized: true,
    allowHTTP1: false,
    ...(o.maxConcurrentStreams ? { settings: { maxConcurrentStreams: o.maxConcurrentStreams } } : {}),
  });
  const received: ReceivedPush[] = [];
  const plans = new Map<string, FakeAnswer[]>();
  const live = new Set<http2.ServerHttp2Session>();
  const sessionIds = new WeakMap<http2.Http2Session, number>();
  /** The client certificate's subject, read once per connection. */
  const subjects = new WeakMap<http2.Http2Session, string>();
  const waiters = new Set<() => void>();
  let sessions = 0;
  let tlsErrors = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  server.on('tlsClientError', () => tlsErrors++);
  server.on('session', (session) => {
    sessionIds.set(session, ++sessions);
    live.add(session);
    session.on('close', () => live.delete(session));
    session.on('error', () => {});
  });

  server.on('stream', (stream, headers) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    stream.on('close', () => inFlight--);
    stream.on('error', () => {});
    const session = stream.session!;
    if (!subjects.has(session)) subjects.set(session, subjectString((session.socket as TLSSocket).getPeerCertificate().subject));
    const path = String(headers[':path'] ?? '');
    const token = /^\/3\/device\/(.*)$/.exec(path)?.[1] ?? '';
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      received.push({
        method: String(headers[':method']),
        path,
        token,
        topic: headers['apns-topic'] as string | undefined,
        headers,
        body,
        clientCertSubject: subjects.get(session) ?? '',
        sessionId: sessionIds.get(session) ?? 0,
      });
      for (const check of waiters) check();
      const answer = plans.get(token)?.shift() ?? fake.defaultAnswer;
      if (answer === 'hang') return;
      if (answer === 'drop') return void session.destroy();
      const reply = () => {
        if (stream.destroyed || stream.closed) return;
        const extra = { ...answer.headers };
        if (answer.status === 200) {
          stream.respond({ ':status': 200, 'apns-id': randomUUID().toUpperCase(), ...extra });
          stream.end();
        } else {
          stream.respond({ ':status': answer.status, 'content-type': 'application/json', ...extra });
          stream.end(JSON.stringify({ reason: answer.reason ?? defaultReason(answer.status) }));
        }
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeApns = {
    url: `https://localhost:${port}`,
    received,
    get sessions() {
      return sessions;
    },
    get tlsErrors() {
      return tlsErrors;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    defaultAnswer: { status: 200 },
    respond(token, ...plan) {
      plans.set(token, [...(plans.get(token) ?? []), ...plan]);
    },
    waitFor(n, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake APNs: ${received.length} of ${n} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (received.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const s of live) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

const DEFAULT_REASONS: Record<number, string> = {
  400: 'BadDeviceToken',
  403: 'BadCertificate',
  410: 'Unregistered',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

function defaultReason(status: number): string {
  return DEFAULT_REASONS[status] ?? 'InternalServerError';
}

function subjectString(subject: object | undefined): string {
  return Object.entries(subject ?? {})
    .map(([k, v]: [string, unknown]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

export interface TlsFixture {
  /** The CA that issued the server certificate and the client certificate. */
  caPem: string;
  /** For localhost: SAN DNS:localhost, IP:127.0.0.1. */
  serverCertPem: string;
  serverKeyPem: string;
  /** A Pass Type ID-like client certificate (EKU clientAuth) for `pass.test.fidelio`. */
  clientCertPem: string;
  clientKeyPem: string;
  /** The same subject, issued by an unrelated CA: the fake must refuse it. */
  rogueCertPem: string;
  rogueKeyPem: string;
}

export const TEST_PASS_TYPE_ID = 'pass.test.fidelio';

/** Makes a test PKI in `dir` with the openssl CLI (RSA 2048, valid 2 days). */
export function makeTlsFixture(dir: string): TlsFixture {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  const ca = (name: string, cn: string) =>
    openssl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ); // prettier-ignore
  const leaf = (name: string, subject: string, issuer: string, extensions: string) => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl(
      'x509', '-req', '-sha256', '-days', '2', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`,
      '-set_serial', `0x${randomUUID().replaceAll('-', '')}`, '-extfile', `${name}.ext`, '-out', `${name}.pem`,
    ); // prettier-ignore
  };

  const passSubject = `/UID=${TEST_PASS_TYPE_ID}/CN=Pass Type ID: ${TEST_PASS_TYPE_ID}/OU=TEAMTEST01/O=Test/C=US`;
  const clientExt = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
  ca('ca', 'Fidelio Test CA');
  ca('other-ca', 'Some Other CA');
  leaf(
    'server',
    '/CN=localhost',
    'ca',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  leaf('client', passSubject, 'ca', clientExt);
  leaf('rogue', passSubject, 'other-ca', clientExt);

  return {
    caPem: read('ca.pem'),
    serverCertPem: read('server.pem'),
    serverKeyPem: read('server.key'),
    clientCertPem: read('client.pem'),
    clientKeyPem: read('client.key'),
    rogueCertPem: read('rogue.pem'),
    rogueKeyPem: read('rogue.key'),
  };
}
