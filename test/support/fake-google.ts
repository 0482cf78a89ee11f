// A local stand-in for Google's OAuth2 token endpoint and the Wallet REST API (walletobjects/v1):
// it checks the JWT-bearer assertion with the service account's public key, hands out access
// tokens, checks the bearer token on every API call, keeps the loyalty classes and objects it is
// given (insert → 409 when it exists, PATCH / addMessage → 404 when it does not), merges a PATCH
// as Google does (an object key by key, an array replaced whole, null removes the field), records
// every request, and can be told to answer otherwise (401, 404, 409, 429, 500, hang) for a path.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { jwtVerify } from 'jose';

export const TEST_ISSUER_ID = '3388000000012345678';
export const WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';

/** A throwaway service account: its JSON key (what GOOGLE_SERVICE_ACCOUNT holds) and public key. */
export function makeServiceAccount(email = 'fidelio-test@fidelio-test.iam.gserviceaccount.com') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = {
    type: 'service_account',
    project_id: 'fidelio-test',
    private_key_id: 'test-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
  };
  return { email, json, text: JSON.stringify(json), publicKey };
}
export type TestServiceAccount = ReturnType<typeof makeServiceAccount>;

/** How the fake answers a request. `hang` never answers. */
export type GoogleAnswer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number } | 'hang';

export interface GoogleRequest {
  method: string;
  /** Under the API base, e.g. `/loyaltyObject/3388….abc` (decoded). */
  path: string;
  /** The bearer token sent (API calls). */
  token: string | undefined;
  body: any;
  /** What the fake answered (undefined: it hung). */
  status?: number;
  at: number;
}

export interface FakeGoogle {
  /** The REST base: GOOGLE_WALLET_API. */
  readonly api: string;
  /** GOOGLE_TOKEN_URL. */
  readonly tokenUrl: string;
  /** API requests (not the token endpoint), in arrival order. */
  readonly requests: GoogleRequest[];
  /** Requests answered so far (the token endpoint's too). */
  readonly answered: number;
  /** Assertions the token endpoint accepted, decoded. */
  readonly tokenRequests: { claims: Record<string, unknown>; header: Record<string, unknown> }[];
  readonly classes: Map<string, any>;
  readonly objects: Map<string, any>;
  /** Seconds a new access token is valid. */
  tokenLifetime: number;
  /** Queues answers for requests whose `METHOD path` starts with `prefix`, one per request, before the normal handling. */
  plan(prefix: string, ...answers: GoogleAnswer[]): void;
  /** Every access token given so far stops being valid (the next API call gets 401). */
  revokeTokens(): void;
  /** Resolves once `test()` holds (checked on every request and every 10 ms); rejects after `timeoutMs`. */
  waitFor(test: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** API requests to a path (`/loyaltyObject/<id>`) or starting with it. */
  to(method: string, path: string): GoogleRequest[];
  close(): Promise<void>;
}

const PATHS = /^\/walletobjects\/v1(\/.*)$/;

export async function startFakeGoogle(account: { email: string; publicKey: KeyObject }): Promise<FakeGoogle> {
  const requests: GoogleRequest[] = [];
  const tokenRequests: FakeGoogle['tokenRequests'] = [];
  const classes = new Map<string, any>();
  const objects = new Map<string, any>();
  const plans: { prefix: string; answers: GoogleAnswer[] }[] = [];
  const valid = new Set<string>();
  const sockets = new Set<Socket>();
  let tokens = 0;
  let answered = 0;
  let base = '';

  const fake: FakeGoogle = {
    api: '',
    tokenUrl: '',
    requests,
    get answered() {
      return answered;
    },
    tokenRequests,
    classes,
    objects,
    tokenLifetime: 3600,
    plan(prefix, ...answers) {
      plans.push({ prefix, answers });
    },
    revokeTokens() {
      valid.clear();
    },
    async waitFor(test, timeoutMs = 5000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`fake Google: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    to(method, path) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    answered++;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (status: number, message: string, reason = 'error') => ({ error: { code: status, message, status: reason } });

  async function token(req: IncomingMessage, res: ServerResponse, text: string) {
    const form = new URLSearchParams(text);
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
      return send(res, 400, { error: 'invalid_request', error_description: 'form body expected' });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return send(res, 400, { error: 'unsupported_grant_type' });
    try {
      const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', account.publicKey, {
        algorithms: ['RS256'],
        issuer: account.email,
        audience: fake.tokenUrl,
        maxTokenAge: '1h',
      });
      if (payload.scope !== WALLET_SCOPE) return send(res, 400, { error: 'invalid_scope' });
      if (typeof payload.exp !== 'number' || payload.exp - payload.iat! > 3600) return send(res, 400, { error: 'invalid_grant' });
      tokenRequests.push({ claims: payload as Record<string, unknown>, header: protectedHeader as Record<string, unknown> });
    } catch (err) {
      return send(res, 400, { error: 'invalid_grant', error_description: (err as Error).message });
    }
    const value = `ya29.fake-${++tokens}`;
    valid.add(value);
    send(res, 200, { access_token: value, expires_in: fake.tokenLifetime, token_type: 'Bearer' });
  }

  /** What the real API does with a request that passed the checks. */
  function handle(method: string, path: string, body: any): { status: number; body: unknown } {
    const m = /^\/(loyaltyClass|loyaltyObject)(?:\/([^/]+))?(\/addMessage)?$/.exec(path);
    if (!m) return { status: 404, body: error(404, `no such method ${method} ${path}`, 'NOT_FOUND') };
    const [, kind, id, addMessage] = m;
    const store = kind === 'loyaltyClass' ? classes : objects;
    if (method === 'POST' && !id) {
      if (!body || typeof body.id !== 'string') return { status: 400, body: error(400, 'id required', 'INVALID_ARGUMENT') };
      if (store.has(body.id)) return { status: 409, body: error(409, `${kind} ${body.id} already exists`, 'ALREADY_EXISTS') };
      if (kind === 'loyaltyObject' && !classes.has(body.classId))
        return { status: 400, body: error(400, `class ${body.classId} not found`, 'INVALID_ARGUMENT') };
      store.set(body.id, structuredClone(body));
      return { status: 200, body };
    }
    if (!id || !store.has(id)) return { status: 404, body: error(404, `${kind} ${id} not found`, 'NOT_FOUND') };
    const current = store.get(id);
    if (method === 'GET' && !addMessage) return { status: 200, body: current };
    if (method === 'PATCH' && !addMessage) {
      const { notifyPreference: _ephemeral, ...fields } = body ?? {};
      mergePatch(current, fields);
      return { status: 200, body: current };
    }
    if (method === 'POST' && addMessage) {
      if (!body?.message) return { status: 400, body: error(400, 'message required', 'INVALID_ARGUMENT') };
      current.messages = [...(current.messages ?? []), body.message];
      return { status: 200, body: { resource: current } };
    }
    return { status: 405, body: error(405, 'method not allowed') };
  }

  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/token' && req.method === 'POST') return token(req, res, text);
      const m = PATHS.exec(url.pathname);
      const path = m ? decodeURIComponent(m[1]!) : url.pathname;
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      let body: any;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        return send(res, 400, error(400, 'invalid JSON', 'INVALID_ARGUMENT'));
      }
      const record: GoogleRequest = { method: req.method!, path, token: auth, body, at: Date.now() };
      requests.push(record);
      const plan = plans.find((p) => `${req.method} ${path}`.startsWith(p.prefix) && p.answers.length > 0);
      const planned = plan?.answers.shift();
      if (planned === 'hang') return;
      if (planned) {
        if (planned.delayMs) await new Promise((r) => setTimeout(r, planned.delayMs));
        record.status = planned.status;
        return send(res, planned.status, planned.body ?? error(planned.status, 'planned answer'), planned.headers);
      }
      if (!m) return send(res, (record.status = 404), error(404, 'not found', 'NOT_FOUND'));
      if (!auth || !valid.has(auth)) return send(res, (record.status = 401), error(401, 'invalid credentials', 'UNAUTHENTICATED'));
      const answer = handle(req.method!, path, body);
      record.status = answer.status;
      send(res, answer.status, answer.body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (fake as { api: string }).api = `${base}/walletobjects/v1`;
  (fake as { tokenUrl: string }).tokenUrl = `${base}/token`;
  return fake;
}

/**
 * A PATCH body merged into a stored resource as Google's APIs do ("patch semantics", the same as
 * RFC 7396 JSON Merge Patch): a field sent as null is removed; an object merges into the object
 * there, key by key; anything else (an array too) replaces the value whole.
 */
export function mergePatch(target: Record<string, any>, patch: Record<string, any>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (isRecord(v)) {
      if (!isRecord(target[k])) target[k] = {};
      mergePatch(target[k], v);
    } else target[k] = structuredClone(v);
  }
}

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

const GOOGLE_ID = /^\d+\.[\w.-]+$/;
/** Module ids (text, links, messages) may not contain dots: templates address them with dotted paths. */
const MODULE_ID = /^[\w-]+$/;

/** Checks the rules a test of the documented fields makes; returns the problems found (none: valid). */
export function objectProblems(o: any): string[] {
  const problems: string[] = [];
  if (!GOOGLE_ID.test(o.id)) problems.push(`id ${o.id} is not <issuerId>.<suffix>`);
  for (const m of o.textModulesData) {
    if (!MODULE_ID.test(m.id)) problems.push(`text module id ${m.id} has characters other than letters, digits, _ and -`);
    if (m.header.length > 35) problems.push(`text module ${m.id}: header longer than 35`);
    if (m.body.length > 500) problems.push(`text module ${m.id}: body longer than 500`);
  }
  const missing = (fields: string[]) => fields.filter((f) => o[f] === undefined || o[f] === null || o[f] === '');
  if ('classId' in o) {
    for (const f of missing(['id', 'classId', 'state'])) problems.push(`object: required ${f} missing`);
    if (!['ACTIVE', 'COMPLETED', 'EXPIRED', 'INACTIVE'].includes(o.state)) problems.push(`state ${o.state} is not a State`);
    if (o.barcode?.type !== 'QR_CODE' || !o.barcode?.value) problems.push('barcode is not a QR code with a value');
    const balance = Object.keys(o.loyaltyPoints.balance);
    if (!balance.every((k) => ['string', 'int', 'double', 'money'].includes(k))) problems.push(`unknown balance subtype ${balance}`);
    if (typeof o.loyaltyPoints.balance.string === 'string' && o.loyaltyPoints.balance.string.length > 7)
      problems.push('balance string longer than 7');
    if (!GOOGLE_ID.test(o.classId)) problems.push(`classId ${o.classId} is not <issuerId>.<suffix>`);
    if (o.loyaltyPoints.label.length > 9) problems.push('loyaltyPoints.label longer than 9');
    if (Object.keys(o.loyaltyPoints.balance).length !== 1) problems.push('loyaltyPoints.balance has not exactly one subtype');
    if (o.messages.length > 10) problems.push('more than 10 messages');
    for (const l of o.linksModuleData.uris) if (!MODULE_ID.test(l.id)) problems.push(`link id ${l.id} is not a module id`);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(o.heroImage.sourceUri.uri)) problems.push('heroImage URI has no scheme');
  } else {
    for (const f of missing(['id', 'issuerName', 'programName', 'programLogo', 'reviewStatus']))
      problems.push(`class: required ${f} missing`);
    if (!['UNDER_REVIEW', 'DRAFT'].includes(o.reviewStatus))
      problems.push(`reviewStatus ${o.reviewStatus}: a client sends UNDER_REVIEW or DRAFT`);
    if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(o.hexBackgroundColor)) problems.push('hexBackgroundColor is not #rgb or #rrggbb');
    if (!/^[a-z][a-z0-9+.-]*:/i.test(o.programLogo.sourceUri.uri)) problems.push('programLogo URI has no scheme');
    if ((o.merchantLocations?.length ?? 0) > 10) problems.push('more than 10 merchant locations');
  }
  return problems;
}
