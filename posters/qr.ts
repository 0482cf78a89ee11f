// The poster's QR code as a matrix of modules, and as rectangles to draw (one per horizontal run
// of dark modules: a few hundred for a URL instead of a thousand squares, filled as one path so
// no seam shows between them).
import QRCode from 'qrcode';

export interface QrMatrix {
  /** Modules per side (21 for version 1, +4 a version). */
  size: number;
  /** 'Q' (25 % of the code can be lost) when it fits in as many modules as 'M' (15 %), else 'M'. */
  level: 'M' | 'Q';
  version: number;
  /** Row by row, `size × size`: true is dark. */
  dark: readonly boolean[];
}

/**
 * The code of `text`. Error correction Q survives a scratched or stained poster better; it is
 * taken only when the code keeps the same number of modules as with M, since bigger modules are
 * what a phone a metre away needs most.
 */
export function qrMatrix(text: string): QrMatrix {
  const m = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const q = QRCode.create(text, { errorCorrectionLevel: 'Q' });
  const code = q.version === m.version ? q : m;
  const size = code.modules.size;
  const dark: boolean[] = [];
  for (let i = 0; i < size * size; i++) dark.push(code.modules.data[i] === 1);
  return { size, level: code === q ? 'Q' : 'M', version: code.version, dark };
}

/** The dark runs of each row, in modules: `{ x, y, w }` is `w` dark modules from column x of row y. */
export function qrRuns(qr: QrMatrix): { x: number; y: number; w: number }[] {
  const runs: { x: number; y: number; w: number }[] = [];
  for (let y = 0; y < qr.size; y++) {
    let x = 0;
    while (x < qr.size) {
      if (!qr.dark[y * qr.size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < qr.size && qr.dark[y * qr.size + x]) x++;
      runs.push({ x: start, y, w: x - start });
    }
  }
  return runs;
}
