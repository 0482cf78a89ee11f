// A good guest and a safe host (issue 17): compressed answers (Brotli and gzip, as the client
// accepts; the build's copies for static files), a strict Content-Security-Policy on every page we
// serve, the camera only for the dashboard, nothing cached of a signed-in user's answers, and the
// session cookie as `__Host-` behind https.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createApp } from '../../server/app.ts';
import { MIN_COMPRESS_BYTES, negotiateEncoding } from '../../server/http/compress.ts';
import { pagePolicy } from '../../server/http/headers.ts';
import { loadWidget } from '../../server/routes/assets.ts';
import { Harness, PUBLIC_URL } from '../support/harness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const code = `export const fidelio = "${'stamp '.repeat(2000)}";\n`;
const widget = { code, hash: 'abcdef0123' };

describe('Accept-Encoding', () => {
  it('prefers Brotli, then gzip, by the client’s weights; none when neither is accepted', () => {
    assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(negotiateEncoding('gzip'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0.5, gzip;q=0.8'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(negotiateEncoding('*'), 'br');
    assert.equal(negotiateEncoding('*;q=0, gzip;q=0.1'), 'gzip');
    assert.equal(negotiateEncoding('x-gzip'), 'gzip');
    assert.equal(negotiateEncoding('identity'), undefined);
    assert.equal(negotiateEncoding('deflate, gzip;q=0, br;q=0'), undefined);
    assert.equal(negotiateEncoding(undefined), undefined);
  });
});

describe('compressed answers', () => {
  const app = () =>
    createApp(h.deps, {
      widget: { ...widget, encoded: { br: new Uint8Array(Buffer.from('br!')), gzip: new Uint8Array(Buffer.from('gz!')) } },
    });

  it('sends the widget’s own compressed copies, one tag per encoding, and 304 for any of them', async () => {
    const br = await app().request('/widget.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'Accept-Encoding');
    assert.equal(br.headers.get('etag'), '"abcdef0123-br"');
    assert.equal(Buffer.from(await br.arrayBuffer()).toString(), 'br!');
    const gz = await app().request('/widget.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(Buffer.from(await gz.arrayBuffer()).toString(), 'gz!');
    const plain = await app().request('/widget.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(plain.headers.get('etag'), '"abcdef0123"');
    assert.equal(await plain.text(), code);
    for (const tag of ['"abcdef0123-br"', '"abcdef0123-gzip"', '"abcdef0123"']) {
      const again = await app().request('/widget.js', { headers: { 'accept-encoding': 'br', 'if-none-match': tag } });
      assert.equal(again.status, 304, tag);
    }
  });

  it('reads the build’s copies of the widget, or makes them when they are missing or older', () => {
    assert.equal(loadWidget('/nonexistent/widget.js'), undefined);
    const dir = mkdtempSync(join(tmpdir(), 'fidelio-widget-'));
    try {
      const file = join(dir, 'widget.js');
      writeFileSync(file, code);
      const made = loadWidget(file)!;
      assert.equal(brotliDecompressSync(made.encoded!.br).toString(), code);
      assert.equal(gunzipSync(made.encoded!.gzip).toString(), code);
      writeFileSync(`${file}.br`, 'built br');
      writeFileSync(`${file}.gz`, 'built gz');
      const built = loadWidget(file)!;
      assert.equal(Buffer.from(built.encoded!.br).toString(), 'built br');
      assert.equal(Buffer.from(built.encoded!.gzip).toString(), 'built gz');
      // A widget rebuilt after its copies: they are stale, made again.
      utimesSync(`${file}.br`, new Date(2000, 0, 1), new Date(2000, 0, 1));
      assert.equal(brotliDecompressSync(loadWidget(file)!.encoded!.br).toString(), code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compresses a JSON answer over the threshold, as the client accepts, and says it varies', async () => {
    const doc = await app().request('/api/openapi.json', { headers: { 'accept-encoding': 'br' } });
    assert.equal(doc.status, 200);
    assert.equal(doc.headers.get('content-encoding'), 'br');
    assert.match(doc.headers.get('vary')!, /Accept-Encoding/);
    const body = brotliDecompressSync(Buffer.from(await doc.arrayBuffer()));
    assert.ok(body.length > MIN_COMPRESS_BYTES);
    assert.equal(JSON.parse(body.toString()).openapi.startsWith('3.'), true);
    const gz = await app().request('/api/openapi.json', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()), JSON.parse(body.toString()));
  });

  it('leaves small answers, problems and HEAD requests as they are', async () => {
    const small = await app().request('/healthz', { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(small.headers.get('content-encoding'), null);
    assert.match(small.headers.get('vary') ?? '', /Accept-Encoding/);
    assert.equal((await small.json()).status !== undefined, true);
    const missing = await app().request('/api/public/programs/nope', { headers: { 'accept-encoding': 'br' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-encoding'), null);
    assert.equal((await missing.json()).code, 'not_found');
    const head = await app().request('/api/openapi.json', { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-encoding'), null);
  });
});

describe('the pages’ policy', () => {
  it('allows our own origin, and only the page’s own inline script and style, by their hashes', () => {
    const style = ':root{--bg:#123456}';
    const script = 'console.log(1)';
    const csp = pagePolicy(
      `<style>${style}</style><script type="module" src="/widget.js"></script><script>${script}</script><script type="application/ld+json">{}</script>`,
    );
    const sha = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    assert.match(csp, new RegExp(`script-src 'self' ${sha(script).replace(/[+/]/g, '\\$&')};`));
    assert.match(csp, new RegExp(`style-src 'self' ${sha(style).replace(/[+/]/g, '\\$&')};`));
    assert.doesNotMatch(csp, /unsafe/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(csp.match(/sha256-/g)!.length, 2, 'the JSON-LD data block and the src script are not hashed');
  });

  it('is sent with the hosted join page, whose inline style it allows; the camera is refused there', async () => {
    const m = await h.signUpMerchant('Boulangerie Politesse');
    const res = await h.get(`/j/${m.program.slug}`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy')!;
    const style = /<style>([^]*?)<\/style>/.exec(res.text)![1]!;
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`), csp);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('permissions-policy'), 'camera=()');
  });

  it('lets the dashboard use the camera (the counter’s scanner), and serves its build’s compressed scripts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fidelio-dashboard-'));
    try {
      execFileSync('npx', ['vite', 'build', '--mode', 'dashboard', '--logLevel', 'warn', '--outDir', dir], { stdio: 'inherit' });
      const app = createApp(h.deps, { widget, dashboardDir: dir });
      const page = await app.request('/dashboard/');
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('permissions-policy'), 'camera=(self)');
      const csp = page.headers.get('content-security-policy')!;
      assert.match(csp, /frame-ancestors 'none'/);
      const html = await page.text();
      const style = /<style>([^]*?)<\/style>/.exec(html);
      if (style) assert.ok(csp.includes(createHash('sha256').update(style[1]!).digest('base64')), 'the page’s style is allowed');
      const src = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)![1]!;
      const script = await app.request(src, { headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(script.headers.get('content-encoding'), 'br');
      assert.match(script.headers.get('vary')!, /Accept-Encoding/);
      assert.equal(
        brotliDecompressSync(Buffer.from(await script.arrayBuffer())).toString(),
        readFileSync(join(dir, src.replace('/dashboard/', '')), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a signed-in user’s answers', () => {
  it('are never cached: the merchant API says no-store, the login and the errors too', async () => {
    const m = await h.signUpMerchant();
    const me = await h.get('/api/merchant/me', { cookie: m.cookie });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('cache-control'), 'no-store');
    const login = await h.post('/api/merchant/login', { email: m.email, password: m.password });
    assert.equal(login.headers.get('cache-control'), 'no-store');
    const refused = await h.get('/api/merchant/me');
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('cache-control'), 'no-store');
  });

  it('come with a __Host- session cookie behind https, which signs in; plain http keeps the plain name', async () => {
    const https = await Harness.start({ PUBLIC_URL: 'https://fidelio.example' });
    try {
      const m = await https.signUpMerchant();
      assert.match(m.cookie, /^__Host-fidelio_session=/);
      const login = await https.post('/api/merchant/login', { email: m.email, password: m.password });
      const set = login.headers.get('set-cookie')!;
      assert.match(set, /^__Host-fidelio_session=[^;]+;/);
      assert.match(set, /; Secure/i);
      assert.match(set, /; Path=\//);
      assert.doesNotMatch(set, /Domain=/i);
      assert.equal((await https.get('/api/merchant/me', { cookie: m.cookie })).status, 200);
      // The name without the prefix is not the session behind https: a sibling subdomain could set it.
      const bare = m.cookie.replace(/^__Host-/, '');
      assert.equal((await https.get('/api/merchant/me', { cookie: bare })).status, 401);
      const out = await https.post('/api/merchant/logout', undefined, { cookie: m.cookie });
      assert.match(out.headers.get('set-cookie')!, /^__Host-fidelio_session=;/);
    } finally {
      await https.close();
    }
    const m = await h.signUpMerchant();
    assert.match(m.cookie, /^fidelio_session=/);
    assert.equal(PUBLIC_URL.startsWith('http:'), true);
  });
});

describe('the tab’s icon', () => {
  it('is served as SVG, which the pages link to, and as /favicon.ico (an ICO holding a 32 px PNG)', async () => {
    const svg = await h.get('/favicon.svg');
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(svg.text, /^<svg /);
    const res = await h.app.request('/favicon.ico');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/x-icon');
    const ico = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1]);
    assert.deepEqual([ico[6], ico[7]], [32, 32]);
    const png = ico.subarray(ico.readUInt32LE(18));
    assert.equal(png.length, ico.readUInt32LE(14));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [32, 32]);
    const m = await h.signUpMerchant('Icône & Co');
    assert.match((await h.get(`/j/${m.program.slug}`)).text, /<link rel="icon" href="\/favicon\.svg"/);
  });
});
