// Reading a QR code from a video: the browser's own `BarcodeDetector` where it reads QR codes
// (Chrome on Android, Safari 17+ on macOS), else jsQR on a canvas copy of the frame.
//
// Why jsQR (1.4.0, Apache-2.0) as the fallback: pure JavaScript, one file, ≈ 46 KB gzip
// minified, in this chunk only (loaded when "Scan a card" is pressed), nothing fetched at run
// time, so it works on a counter with a flaky network once the dashboard is loaded. It has not
// changed since 2020, and QR codes have not either. `barcode-detector` (a BarcodeDetector
// ponyfill over zxing-wasm) reads more formats and damaged codes better, but its ≈ 1 MB of
// WebAssembly would need serving and caching from our origin; `@zxing/library` is larger and in
// maintenance mode. We read one clean format from a screen or a pass: jsQR is enough.
import * as jsqr from 'jsqr';

/** Reads one frame: the text of the QR code in it, or null. */
export type Decoder = (video: HTMLVideoElement) => Promise<string | null>;

/** The part of the Barcode Detection API used here (not in TypeScript's DOM types yet). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

type JsQR = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' },
) => { data: string } | null;

/**
 * jsQR ships only a UMD file. A bundler (Vite) hands its `module.exports` over as `default`;
 * loaded as a plain ES module (the test runner does not convert CommonJS), it sets `self.jsQR`.
 */
const jsQR = ((jsqr as unknown as { default?: JsQR }).default ?? (globalThis as { jsQR?: JsQR }).jsQR)!;

/** Frames are scaled down to this many pixels on their longer side: enough for a QR code held up to the camera, and fast. */
const MAX_SIDE = 720;

/** The native detector when it reads QR codes, else jsQR. */
export async function qrDecoder(): Promise<Decoder> {
  const native = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  try {
    if (native && (await native.getSupportedFormats()).includes('qr_code')) {
      const detector = new native({ formats: ['qr_code'] });
      return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
    }
  } catch {
    // A detector that cannot tell its formats: use jsQR.
  }
  return jsDecoder();
}

/** jsQR on a scaled copy of the frame. */
export function jsDecoder(): Decoder {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  return async (video) => {
    const { videoWidth: w, videoHeight: h } = video;
    if (!w || !h) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    // Dark on light only: the card's QR code and the pass's are; trying inverted doubles the work.
    return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}
