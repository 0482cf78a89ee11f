// Issue 5: the merchant's logo — uploaded (PNG or JPEG, checked by its bytes, re-encoded), served, and drawn on the Apple pass.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { encodePng, PassImages, pngSize, renderPng } from '../../passes/images.ts';
import { Harness, type Merchant, PUBLIC_URL, randomIp, type Reply } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';
import { assertProblem } from '../support/problem.ts';

const LOGO = '/api/merchant/program/logo';

let h: Harness;
let m: Merchant;
let other: Merchant;
let serial: string;
let png: Buffer;

/** A raw-body request, as the dashboard's upload sends it. */
async function upload(
  body: Uint8Array | string | ReadableStream<Uint8Array> | null,
  type: string,
  opts: { cookie?: string; method?: string; headers?: Record<string, string> } = {},
) {
  const cookie = opts.cookie === undefined ? m.cookie : opts.cookie;
  const headers: Record<string, string> = { 'x-forwarded-for': randomIp(), origin: h.config.publicOrigin, ...opts.headers };
  if (type) headers['content-type'] = type;
  if (cookie) headers.cookie = cookie;
  const init = { method: opts.method ?? 'PUT', headers, body: body as BodyInit | null, duplex: 'half' } as RequestInit;
  return asReply(await h.app.request(new Request(`${PUBLIC_URL}${LOGO}`, init)));
}

async function asReply(res: Response): Promise<Reply & { bytes: Buffer }> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  const json = /json/.test(res.headers.get('content-type') ?? '') && text;
  return { status: res.status, headers: res.headers, text, body: json ? JSON.parse(text) : text, bytes };
}

const pathOf = (url: string) => new URL(url).pathname;
const versions = async (merchantId: string) =>
  (await h.db.query<{ version: number }>('SELECT version FROM cards WHERE merchant_id = $1 ORDER BY id', [merchantId])).rows.map(
    (r) => r.version,
  );
const passFiles = async (s: string) => {
  const res = await asReply(await h.app.request(`/passes/apple/${s}.pkpass`));
  assert.equal(res.status, 200, res.text);
  return openPass(res.bytes).files;
};

/** A baseline 8×8 grey JPEG, written by hand (DC 0, no AC): the smallest JPEG a decoder accepts. */
function greyJpeg(): Buffer {
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
  return Buffer.from([
    0xff,
    0xd8,
    ...seg(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]),
    ...seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0]),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x3f,
    0xff,
    0xd9,
  ]);
}

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Logo Café');
  other = await h.signUpMerchant('Other Café');
  serial = (await h.join(m)).serial;
  await h.join(m);
  await h.join(other);
  // A wide (2:1) red-and-blue logo.
  png = await renderPng(
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="20" height="20" fill="#d00"/><rect x="20" width="20" height="20" fill="#00d"/></svg>',
    40,
  );
});
after(() => h.close());

describe('PUT /api/merchant/program/logo', () => {
  let before3x: Buffer;
  let url: string;

  it('a PNG → 200 { logoUrl }; the file is served; design.logoUrl is set; every pass re-issued', async () => {
    before3x = (await passFiles(serial)).get('logo@3x.png')!;
    const v0 = await versions(m.id);
    const otherV0 = await versions(other.id);

    const res = await upload(png, 'image/png');
    assert.equal(res.status, 200, res.text);
    url = res.body.logoUrl;
    assert.match(url, new RegExp(`^${PUBLIC_URL}/logos/${m.id}\\.[0-9a-f]{8}\\.png$`));

    const file = await asReply(await h.app.request(pathOf(url)));
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(pngSize(file.bytes), { width: 150, height: 150 });
    assert.ok(!file.bytes.equals(png), 're-encoded, not the uploaded bytes');
    assert.equal(url.split('.').at(-2), createHash('sha256').update(file.bytes).digest('hex').slice(0, 8));

    const program = (await h.get('/api/merchant/program', { cookie: m.cookie })).body.program;
    assert.equal(program.design.logoUrl, url);
    m.program = program;
    assert.deepEqual(
      await versions(m.id),
      v0.map((v) => v + 1),
    );
    assert.deepEqual(await versions(other.id), otherV0, "another merchant's cards are untouched");
  });

  it("the pass's logo is the uploaded one (50/100/150 px), no longer the drawn mark", async () => {
    const files = await passFiles(serial);
    const stored = (await asReply(await h.app.request(pathOf(url)))).bytes;
    for (const [name, px] of [
      ['logo.png', 50],
      ['logo@2x.png', 100],
      ['logo@3x.png', 150],
    ] as const) {
      assert.deepEqual(pngSize(files.get(name)!), { width: px, height: px }, name);
    }
    const logo3x = files.get('logo@3x.png')!;
    assert.ok(!logo3x.equals(before3x), 'not the default mark');
    const sha = createHash('sha256').update(stored).digest('hex');
    const expected = await new PassImages().uploadedLogo(stored, sha);
    assert.ok(logo3x.equals(expected['3x']));
    assert.ok(logo3x.equals(stored), 'at 150 px the pass logo is the stored logo itself');
  });

  it('the same logo again → the same URL, no re-issue', async () => {
    const v0 = await versions(m.id);
    const res = await upload(png, 'image/png');
    assert.equal(res.status, 200);
    assert.equal(res.body.logoUrl, url);
    assert.deepEqual(await versions(m.id), v0);
  });

  it('a JPEG → 200, a new URL; the old URL is gone (404)', async () => {
    const res = await upload(greyJpeg(), 'image/jpeg');
    assert.equal(res.status, 200, res.text);
    assert.notEqual(res.body.logoUrl, url);
    assert.equal((await asReply(await h.app.request(pathOf(res.body.logoUrl)))).status, 200);
    assertProblem(await asReply(await h.app.request(pathOf(url))), 404, 'not_found');
    url = res.body.logoUrl;
  });

  it('refused: text as image/png → 400; PNG declared as JPEG → 400; a damaged PNG → 400', async () => {
    const v0 = await versions(m.id);
    assertProblem(await upload(Buffer.from('hello, this is not an image'), 'image/png'), 400, 'validation_failed', ['(body)']);
    const res = await upload(png, 'image/jpeg');
    assertProblem(res, 400, 'validation_failed');
    assert.match(res.body.detail, /not a PNG or JPEG image/);
    assertProblem(await upload(greyJpeg(), 'image/png'), 400, 'validation_failed');
    assertProblem(await upload(png.subarray(0, 40), 'image/png'), 400, 'validation_failed');
    const garbage = Buffer.concat([png.subarray(0, 33), randomBytes(500)]);
    assertProblem(await upload(garbage, 'image/png'), 400, 'validation_failed');
    assertProblem(await upload(Buffer.alloc(0), 'image/png'), 400, 'validation_failed');
    // A header declaring 100000×100000 pixels: refused before decoding.
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    const big = await upload(bomb, 'image/png');
    assertProblem(big, 400, 'validation_failed');
    assert.match(big.body.detail, /too large/);
    assert.deepEqual(await versions(m.id), v0);
  });

  it('refused: an SVG with a script → 415 as image/svg+xml, 400 as image/png', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="9" height="9"/></svg>',
    );
    const res = await upload(svg, 'image/svg+xml');
    assertProblem(res, 415, 'unsupported_media_type');
    assert.match(res.body.detail, /SVG logos are not accepted \(they can carry scripts\); upload a PNG or JPEG/);
    assertProblem(await upload(svg, 'image/png'), 400, 'validation_failed');
  });

  it('refused: other types → 415 (JSON, GIF, none)', async () => {
    assertProblem(await upload(JSON.stringify({ logo: 'x' }), 'application/json'), 415, 'unsupported_media_type');
    assertProblem(await upload(Buffer.from('GIF89a'), 'image/gif'), 415, 'unsupported_media_type');
    assertProblem(await upload(png, ''), 415, 'unsupported_media_type');
  });

  it('refused: 20 MB → 413 (with Content-Length, and streamed without one)', async () => {
    const res = await upload(Buffer.alloc(20 * 1024 * 1024, 0x89), 'image/png');
    assertProblem(res, 413, 'payload_too_large');
    assert.match(res.body.detail, /larger than 2 MB/);

    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent >= 320) return ctl.close();
        sent++;
        ctl.enqueue(chunk);
      },
    });
    assertProblem(await upload(stream, 'image/png'), 413, 'payload_too_large');
    assert.ok(sent < 320, `the server stopped reading early (read ${sent} of 320 chunks)`);
  });

  it('a 160 KB PNG passes the 64 KB JSON limit (this path only); JSON elsewhere is still limited to 64 KB', async () => {
    // Random opaque pixels: incompressible, so about 160 KB.
    const pixels = randomBytes(200 * 200 * 4);
    for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
    const noisy = await encodePng(pixels, 200, 200);
    assert.ok(noisy.length > 64 * 1024, `fixture is ${noisy.length} bytes`);
    const res = await upload(noisy, 'image/png');
    assert.equal(res.status, 200, res.text);
    url = res.body.logoUrl;
    const json = await h.put('/api/merchant/program', { ...m.program, terms: 'x'.repeat(70 * 1024) }, { cookie: m.cookie });
    assertProblem(json, 413, 'payload_too_large');
  });

  it('staff → 403; no session → 401; foreign origin → 403', async () => {
    const staff = (await h.addStaff(m)).cookie;
    assertProblem(await upload(png, 'image/png', { cookie: staff }), 403, 'forbidden');
    assertProblem(await upload(null, '', { cookie: staff, method: 'DELETE' }), 403, 'forbidden');
    assertProblem(await upload(png, 'image/png', { cookie: '' }), 401, 'unauthorized');
    assertProblem(await upload(png, 'image/png', { headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
    assert.equal((await h.get('/api/merchant/program', { cookie: m.cookie })).body.program.design.logoUrl, url);
  });

  it("another merchant's logo and program are unaffected", async () => {
    const res = await upload(png, 'image/png', { cookie: other.cookie });
    assert.equal(res.status, 200);
    assert.match(res.body.logoUrl, new RegExp(`/logos/${other.id}\\.`));
    assert.equal((await h.get('/api/merchant/program', { cookie: m.cookie })).body.program.design.logoUrl, url);
    assert.equal((await asReply(await h.app.request(pathOf(url)))).status, 200);
    // Another merchant's id with this logo's hash: nothing there.
    const foreign = pathOf(url).replace(m.id, other.id);
    assertProblem(await asReply(await h.app.request(foreign)), 404, 'not_found');
  });

  it('DELETE → 204: logoUrl null, the file gone, the pass back to the drawn mark, passes re-issued', async () => {
    const v0 = await versions(m.id);
    const res = await upload(null, '', { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal((await h.get('/api/merchant/program', { cookie: m.cookie })).body.program.design.logoUrl, null);
    assertProblem(await asReply(await h.app.request(pathOf(url))), 404, 'not_found');
    assert.deepEqual(
      await versions(m.id),
      v0.map((v) => v + 1),
    );
    assert.ok((await passFiles(serial)).get('logo@3x.png')!.equals(before3x));
    assert.equal(await h.count('SELECT count(*)::int AS n FROM merchant_logos WHERE merchant_id = $1', [other.id]), 1);
  });
});

describe('PUT /api/merchant/program/logo: what decoding costs, and what the decoder never sees', () => {
  /** A PNG chunk: length, type, data, CRC. */
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const frame = Buffer.alloc(12 + data.length);
    frame.writeUInt32BE(data.length, 0);
    body.copy(frame, 4);
    frame.writeUInt32BE(crc32(body), 8 + data.length);
    return frame;
  };
  /** A PNG of one flat colour (zeros: black, or transparent with alpha), `depth` bits a channel. */
  const flatPng = (width: number, height: number, depth: 8 | 16, colourType: 2 | 6) => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = depth;
    header[9] = colourType;
    const rowBytes = 1 + (width * (colourType === 6 ? 4 : 3) * depth) / 8;
    const idat = deflateSync(Buffer.alloc(rowBytes * height), { level: 9 });
    return Buffer.concat([png.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
  };
  /** `png` with `extra` chunks right after IHDR, ahead of the picture. */
  const withChunks = (...extra: Buffer[]) => Buffer.concat([png.subarray(0, 33), ...extra, png.subarray(33)]);
  let iris: Merchant;
  before(async () => {
    iris = await h.signUpMerchant('Salon Iris');
  });

  it('a 130 KB 4096×4096 PNG at 16 bits a channel (96 MB decoded) → 400 too large, before decoding; 16 bits in budget → 200', async () => {
    const bomb = flatPng(4096, 4096, 16, 2);
    assert.ok(bomb.length < 200 * 1024, `${bomb.length} bytes`);
    const res = await upload(bomb, 'image/png', { cookie: iris.cookie });
    assertProblem(res, 400, 'validation_failed', ['(body)']);
    assert.match(res.body.detail, /too large to decode \(4096×4096 pixels at 16 bits a channel: 96 MB\); at most 64 MB/);
    const fine = await upload(flatPng(300, 200, 16, 2), 'image/png', { cookie: iris.cookie });
    assert.equal(fine.status, 200, fine.text);
  });

  it('a valid PNG with a large text chunk (1.5 MB tEXt, 200 KB zTXt or iTXt) → 200, the same logo as without it', async () => {
    const plain = await upload(png, 'image/png', { cookie: iris.cookie });
    assert.equal(plain.status, 200, plain.text);
    const text = (size: number) => Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(size, 'a')]);
    for (const [name, file] of [
      ['tEXt 1.5 MB', withChunks(chunk('tEXt', text(1_500_000)))],
      [
        'zTXt 200 KB',
        withChunks(chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0'), deflateSync(randomBytes(200_000), { level: 0 })]))),
      ],
      ['iTXt 200 KB', withChunks(chunk('iTXt', Buffer.concat([Buffer.from('Comment\0\0\0\0\0'), Buffer.alloc(200_000, 'a')])))],
    ] as const) {
      const res = await upload(file, 'image/png', { cookie: iris.cookie });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
      assert.equal(res.body.logoUrl, plain.body.logoUrl, `${name}: the same pixels, so the same logo`);
    }
    // A chunk whose length runs past the end of the file is damage, not a picture.
    const broken = withChunks(chunk('tEXt', text(1000)));
    broken.writeUInt32BE(5_000_000, 33);
    const res = await upload(broken, 'image/png', { cookie: iris.cookie });
    assertProblem(res, 400, 'validation_failed');
    assert.match(res.body.detail, /damaged/);
  });
});

describe('GET /logos/:file', () => {
  it('unknown or malformed → 404', async () => {
    for (const path of [
      `/logos/${m.id}.00000000.png`,
      '/logos/nope.png',
      `/logos/${m.id}.png`,
      '/logos/00000000-0000-0000-0000-000000000000.abcdef01.png',
      `/logos/${m.id.toUpperCase()}.00000000.png`,
    ]) {
      assertProblem(await asReply(await h.app.request(path)), 404, 'not_found');
    }
  });
});
