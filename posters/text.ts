// Text on the poster: cleaned for both drawings, measured with the fonts' own shaping (cached),
// wrapped into lines, shrunk to fit, cut with "…", and placed as a block of lines.
import type { FontName, Measure } from './fonts.ts';
import type { Box } from './layout.ts';

export interface TextLine {
  text: string;
  x: number;
  baseline: number;
  width: number;
}

export interface TextBlock {
  font: FontName;
  size: number;
  color: string;
  lines: TextLine[];
  /** The lines' boxes together (line height × lines, the widest line). */
  box: Box;
}

/** DejaVu Sans' ascent and descent (hhea), in ems: a line's baseline sits between them. */
const ASCENT = 0.928;
const DESCENT = 0.236;

/** Control characters out (they are not XML), lone surrogates replaced, spaces collapsed (no-break ones kept). */
export function cleanText(text: string): string {
  return (
    text
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      // Control characters are not allowed in XML (the PNG's SVG) and draw nothing: each becomes a space.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
      // Spaces collapse, but not the no-break ones ("1 €", "5 %"): the lines never break there.
      .replace(/[^\S\u00a0\u202f]+/g, ' ')
      .trim()
  );
}

/** Widths at 1 pt, cached (a width is proportional to the size), from the fonts' own shaping. */
export class Metrics {
  readonly #measure: Measure;
  readonly #cache = new Map<string, number>();

  constructor(measure: Measure) {
    this.#measure = measure;
  }

  width(text: string, font: FontName, size: number): number {
    const key = `${font}\u0000${text}`;
    let w = this.#cache.get(key);
    if (w === undefined) {
      w = this.#measure(text, font, 1000) / 1000;
      this.#cache.set(key, w);
    }
    return w * size;
  }

  /** Greedy lines of at most `width`; a word wider than a line is cut between characters. */
  wrap(text: string, font: FontName, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ').filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (this.width(candidate, font, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      for (const ch of Array.from(word)) {
        if (line && this.width(line + ch, font, size) > width) {
          lines.push(line);
          line = ch;
        } else line += ch;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  /** The text cut to fit `width`, with "…". */
  ellipsis(text: string, font: FontName, size: number, width: number): string {
    const chars = Array.from(text);
    while (chars.length && this.width(`${chars.join('').trimEnd()}…`, font, size) > width) chars.pop();
    return `${chars.join('').trimEnd()}…`;
  }

  /**
   * The largest size from `max` down to `min` (half points) at which the text takes at most
   * `lines` lines; else, at `min`, up to `hardLines` lines, the last one cut with "…".
   */
  fit(text: string, font: FontName, o: { max: number; min: number; lines: number; hardLines: number; width: number }) {
    for (let size = Math.max(o.max, o.min); size > o.min; size -= 0.5) {
      const lines = this.wrap(text, font, size, o.width);
      if (lines.length <= o.lines) return { size, lines };
    }
    const lines = this.wrap(text, font, o.min, o.width);
    if (lines.length <= o.hardLines) return { size: o.min, lines };
    const kept = lines.slice(0, o.hardLines - 1);
    kept.push(this.ellipsis(lines.slice(o.hardLines - 1).join(' '), font, o.min, o.width));
    return { size: o.min, lines: kept };
  }
}

/** A block of lines from `top`, each aligned in the column [x, x + width]. */
export function textBlock(
  metrics: Metrics,
  fitted: { size: number; lines: string[] },
  o: { font: FontName; color: string; x: number; width: number; top: number; lineHeight: number; align: 'left' | 'center' },
): TextBlock {
  const { size } = fitted;
  const lh = size * o.lineHeight;
  const baselineOffset = (lh - (ASCENT + DESCENT) * size) / 2 + ASCENT * size;
  const lines = fitted.lines.map((text, i) => {
    const width = metrics.width(text, o.font, size);
    const x = o.align === 'center' ? o.x + (o.width - width) / 2 : o.x;
    return { text, x, baseline: o.top + i * lh + baselineOffset, width };
  });
  const left = Math.min(...lines.map((l) => l.x), o.x + (o.align === 'center' ? o.width / 2 : 0));
  const right = Math.max(...lines.map((l) => l.x + l.width), left);
  return { font: o.font, size, color: o.color, lines, box: { x: left, y: o.top, width: right - left, height: lines.length * lh } };
}
