// Compressed answers: Brotli or gzip, as the client's Accept-Encoding allows. Static files are
// compressed once at build time (vite.config.ts writes `.br` and `.gz` beside them, served by
// `serveStatic({ precompressed })` and `loadWidget`); what the server makes (JSON, the hosted
// pages, the dashboard's index.html) is compressed here, on the way out, once it is big enough
// for compression to win.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

export type Encoding = 'br' | 'gzip';

/** Under this many bytes an answer goes as it is: the headers and the CPU would outweigh the saving. */
export const MIN_COMPRESS_BYTES = 1024;

/** Text worth compressing (images, zips and passes already are). */
export const COMPRESSIBLE = /^(text\/|application\/(json|problem\+json|javascript|xml|ld\+json|manifest\+json)|image\/svg\+xml)/;

/**
 * The encoding to answer with, by the client's preference (`q`), Brotli first at equal weight;
 * none when the client names neither or refuses both (`q=0`). `*` stands for those not named.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (e: string) => weights.get(e) ?? (e === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((e) => weight(e) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best;
}

/** Adds `Accept-Encoding` to the answer's `Vary` (a cache must keep one copy per encoding). */
export function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('vary');
  if (!vary) headers.set('vary', 'Accept-Encoding');
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) headers.set('vary', `${vary}, Accept-Encoding`);
}

/** `body` compressed: Brotli at quality 5 on the way out (quality 11 is for build time), gzip at 6. */
export function compressBody(body: Uint8Array, encoding: Encoding, quality: 'fast' | 'best' = 'fast'): Uint8Array<ArrayBuffer> {
  const out =
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: quality === 'best' ? 11 : 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        })
      : gzipSync(body, { level: quality === 'best' ? 9 : 6 });
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}

/** The middleware: compresses a text answer of at least MIN_COMPRESS_BYTES that is not encoded yet. */
export const compress: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  const type = res.headers.get('content-type') ?? '';
  if (!res.body || !COMPRESSIBLE.test(type) || res.headers.has('content-encoding') || res.status === 204 || res.status === 206) return;
  varyOnEncoding(res.headers);
  const encoding = negotiateEncoding(c.req.header('accept-encoding'));
  if (!encoding || c.req.method === 'HEAD') return;
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length < MIN_COMPRESS_BYTES) return;
  const body = new Uint8Array(await res.arrayBuffer());
  const headers = new Headers(res.headers);
  const compressed = body.byteLength >= MIN_COMPRESS_BYTES;
  if (compressed) {
    headers.set('content-encoding', encoding);
    headers.delete('content-length');
    // Another representation: a strong validator must not be shared with the plain one.
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
  }
  // Set as a whole (Hono would copy the old headers, Content-Length included, onto a new answer).
  c.res = undefined;
  c.res = new Response(compressed ? compressBody(body, encoding) : body, { status: res.status, statusText: res.statusText, headers });
};
