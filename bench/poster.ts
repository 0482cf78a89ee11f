/**
 * The in-store poster's figures: loading the fonts (once a process), the first PDF (pdfkit reads
 * the fonts' tables then), then the median and worst of several PDFs and PNGs, A4 and A5; the
 * event loop's longest stall while PDFs are made (pdfkit works on the main thread; resvg and the
 * PNG's compression on libuv's pool); and GET /api/merchant/poster through the app, on PGlite.
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { PassImages } from '../passes/images.ts';
import { posterFonts } from '../posters/fonts.ts';
import { layoutPoster, type PageSize, type PosterInput } from '../posters/layout.ts';
import { posterPdf } from '../posters/pdf.ts';
import { posterPng } from '../posters/png.ts';
import { Harness } from '../test/support/harness.ts';

/** The target for a PDF on this 2-core machine. */
export const POSTER_TARGETS = { pdfMs: 200 };
const RUNS = 15;

interface Timing {
  first: number;
  median: number;
  worst: number;
  bytes: number;
}

export interface PosterFigures {
  fontsMs: number;
  pdf: Record<PageSize, Timing>;
  png: Record<PageSize, Timing>;
  layoutMs: number;
  pdfLoopStallMs: number;
  api: { format: string; median: number; worst: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(make: () => Promise<Buffer>): Promise<Timing> {
  let t0 = performance.now();
  const first = await make();
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    await make();
    times.push(performance.now() - t0);
  }
  return { first: firstMs, median: median(times), worst: Math.max(...times), bytes: first.length };
}

export async function benchPoster(): Promise<PosterFigures> {
  let t0 = performance.now();
  const fonts = posterFonts();
  const fontsMs = performance.now() - t0;
  const logo = (await new PassImages().logo({ backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1' }))['3x'];
  const input = (size: PageSize): PosterInput => ({
    size,
    language: 'fr',
    merchantName: 'Boulangerie-Pâtisserie Artisanale des Frères Dupont-Lefèvre!',
    offer: { kind: 'stamps', required: 10, reward: 'Un café offert' },
    bonus: { unit: 'stamps', amount: 1, currency: 'EUR' },
    joinUrl: 'https://loyalty.example.com/j/boulangerie-patisserie-artisanale-des-freres-dupont-lefevre',
    colors: { background: '#3b2f2f', foreground: '#ffffff', label: '#f3d9b1' },
    logo: { png: logo, kind: 'mark' },
  });

  const pdf = {} as Record<PageSize, Timing>;
  const png = {} as Record<PageSize, Timing>;
  for (const size of ['a4', 'a5'] as const) {
    pdf[size] = await time(() => posterPdf(layoutPoster(input(size), fonts.measure), fonts));
    png[size] = await time(() => posterPng(layoutPoster(input(size), fonts.measure), fonts));
  }
  t0 = performance.now();
  for (let i = 0; i < 100; i++) layoutPoster(input('a4'), fonts.measure);
  const layoutMs = (performance.now() - t0) / 100;

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  for (let i = 0; i < 5; i++) await posterPdf(layoutPoster(input('a4'), fonts.measure), fonts);
  loop.disable();

  // Through the app: the program, the name and the logo read from PGlite, then drawn and sent.
  const h = await Harness.start();
  const api: PosterFigures['api'] = [];
  try {
    const m = await h.signUpMerchant('Boulangerie-Pâtisserie Artisanale des Frères Dupont-Lefèvre!');
    for (const format of ['pdf', 'png']) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const res = await h.app.request(`/api/merchant/poster?format=${format}`, { headers: { cookie: m.cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET poster: ${res.status}`);
        if (i > 0) times.push(performance.now() - t);
      }
      api.push({ format, median: median(times), worst: Math.max(...times) });
    }
  } finally {
    await h.close();
  }
  return { fontsMs, pdf, png, layoutMs, pdfLoopStallMs: loop.max / 1e6, api };
}

export function printPoster(f: PosterFigures): void {
  const T = POSTER_TARGETS;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  console.log('## Poster');
  console.log('| figure | value | target | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| DejaVu Sans + Bold read and parsed (once a process) | ${ms(f.fontsMs)} | | |`);
  console.log(`| layout (words, wrapping, QR matrix) | ${ms(f.layoutMs)} | | |`);
  for (const size of ['a4', 'a5'] as const) {
    const p = f.pdf[size];
    console.log(
      `| PDF ${size.toUpperCase()}, first | ${ms(p.first)} (${kb(p.bytes)}) | ≤ ${T.pdfMs} ms | ${(T.pdfMs / p.first).toFixed(2)}× headroom |`,
    );
    console.log(
      `| PDF ${size.toUpperCase()}, median (worst) of ${RUNS} | ${ms(p.median)} (${ms(p.worst)}) | ≤ ${T.pdfMs} ms | ${(T.pdfMs / p.worst).toFixed(2)}× headroom on the worst |`,
    );
  }
  for (const size of ['a4', 'a5'] as const) {
    const p = f.png[size];
    console.log(
      `| PNG ${size.toUpperCase()} (150 dpi), first; median (worst) of ${RUNS} | ${ms(p.first)}; ${ms(p.median)} (${ms(p.worst)}), ${kb(p.bytes)} | (≤ ${T.pdfMs} ms, as the PDF) | ${(T.pdfMs / p.worst).toFixed(2)}× |`,
    );
  }
  console.log(`| event loop's longest stall while 5 PDFs are made | ${ms(f.pdfLoopStallMs)} | | |`);
  for (const a of f.api) {
    console.log(
      `| GET /api/merchant/poster?format=${a.format} (A4, PGlite, in process), median (worst) | ${ms(a.median)} (${ms(a.worst)}) | | |`,
    );
  }
  console.log('');
}
