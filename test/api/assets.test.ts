import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { DASHBOARD_DIR } from '../../server/paths.ts';
import { Harness, PUBLIC_URL } from '../support/harness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const widget = { code: 'export const fidelio = 1;\n', hash: '0123456789' };
const appWith = (w: typeof widget | null, env: Record<string, string> = {}, dashboardDir?: string) =>
  createApp(
    {
      db: h.db,
      apple: null,
      google: null,
      outbox: { wake: () => {} },
      config: loadConfig({ NODE_ENV: 'test', PUBLIC_URL, SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '.data/test', ...env }),
    },
    { widget: w, ...(dashboardDir ? { dashboardDir } : {}) },
  );

describe('/widget.js', () => {
  it('serves the bundle to any origin, revalidated every 5 minutes, with its hashed alias', async () => {
    const res = await appWith(widget).request('/widget.js', { headers: { origin: 'https://any-shop.example' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), widget.code);
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(res.headers.get('cache-control')!, /max-age=300/);
    assert.equal(res.headers.get('etag'), '"0123456789"');
    assert.equal(res.headers.get('x-widget-url'), `${PUBLIC_URL}/widget.0123456789.js`);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const res = await appWith(widget).request('/widget.js', { headers: { 'if-none-match': '"0123456789"' } });
    assert.equal(res.status, 304);
    assert.equal(await res.text(), '');
  });

  it('serves the hashed alias for a year, and 404 for another hash', async () => {
    const app = appWith(widget);
    const res = await app.request('/widget.0123456789.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await res.text(), widget.code);
    const stale = await app.request('/widget.fedcba9876.js');
    assert.equal(stale.status, 404);
    assert.equal((await stale.json()).code, 'not_found');
  });

  it('says clearly when the widget was not built', async () => {
    const res = await appWith(null).request('/widget.js');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = await res.json();
    assert.equal(body.code, 'unavailable');
    assert.match(body.detail, /npm run build/);
  });
});

describe('/demo/', () => {
  it('serves the demo café with the script tag pasted, and / leads there', async () => {
    const app = appWith(widget);
    const res = await app.request('/demo/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/widget\.js"><\/script>/);
    assert.match(html, /<fidelio-widget program="cafe-lune"><\/fidelio-widget>/);
    const root = await app.request('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/demo/');
  });

  it('serves nothing outside the site folder', async () => {
    const app = appWith(widget);
    for (const path of ['/demo/../seed.ts', '/demo/%2e%2e/seed.ts', '/demo/..%2fseed.ts', '/demo/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await app.request(path);
      assert.notEqual(res.status, 200, path);
      assert.doesNotMatch(await res.text(), /seedDemo|"dependencies"/, path);
    }
  });

  it('is off when DEMO is off', async () => {
    const app = appWith(widget, { DEMO: '0' });
    assert.equal((await app.request('/demo/')).status, 404);
    assert.equal((await app.request('/')).status, 404);
  });
});

describe('/dashboard/', () => {
  // Served from the build: build it from the sources under test.
  before(() => {
    execFileSync('npx', ['vite', 'build', '--mode', 'dashboard', '--logLevel', 'warn'], { stdio: 'inherit' });
  });

  it('serves the app page at /dashboard and /dashboard/, revalidated on each visit', async () => {
    const app = appWith(widget);
    for (const path of ['/dashboard', '/dashboard/']) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type')!, /^text\/html; charset=utf-8/i, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      const html = await res.text();
      assert.match(html, /<fidelio-dashboard><\/fidelio-dashboard>/, path);
      assert.match(html, /<script type="module" crossorigin src="\/dashboard\/assets\/[\w-]+\.js"><\/script>/, path);
    }
  });

  it('serves the hashed scripts it loads as JavaScript, cached for a year', async () => {
    const app = appWith(widget);
    const html = await (await app.request('/dashboard/')).text();
    const src = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await app.request(src);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(await res.text(), /fidelio-dashboard/);
    for (const file of readdirSync(join(DASHBOARD_DIR, 'assets'))) {
      assert.equal((await app.request(`/dashboard/assets/${file}`)).status, 200, file);
    }
  });

  it('answers 404 for a script that is not there, and serves nothing outside its folder', async () => {
    const app = appWith(widget);
    const missing = await app.request('/dashboard/assets/index-nothere.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('cache-control'), null);
    for (const path of [
      '/dashboard/assets/../../../package.json',
      '/dashboard/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/dashboard/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const res = await app.request(path);
      assert.notEqual(res.status, 200, path);
      assert.doesNotMatch(await res.text(), /"dependencies"/, path);
    }
  });

  it('says clearly when the dashboard was not built', async () => {
    const res = await appWith(widget, {}, join(DASHBOARD_DIR, 'not-built')).request('/dashboard/');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = await res.json();
    assert.equal(body.code, 'unavailable');
    assert.match(body.detail, /npm run build/);
  });
});
