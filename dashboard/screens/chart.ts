import { css, html, svg, type TemplateResult } from 'lit';

/**
 * A bar chart in hand-written SVG: one `rect.bar` per bucket, the y axis from 0 to a round
 * maximum with three ticks that differ (0, its middle, the top), the first, middle and last
 * buckets named under the x axis, and the same numbers
 * in a table behind a "Show the data" toggle (the accessible alternative, and handy for
 * reading exact values). It scales to its container through `viewBox`. A chart library
 * would cost more bytes than the three charts it draws.
 */
export interface Bar {
  /** The bucket, as shown (a day, a week, a month). */
  label: string;
  value: number;
}

export interface ChartText {
  /** The chart's title, also the table's caption. */
  title: string;
  /** The table's column headers. */
  period: string;
  showData: string;
}

// About a phone's width in CSS pixels, so that the axis text keeps its size there.
const W = 360;
const H = 180;
const LEFT = 60;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;

/** How the y axis is drawn. */
export interface Scale {
  /** A tick's text, knowing the step between two ticks (to show cents only when a step has some); `format` by default. */
  axis?: (n: number, step: number) => string;
  /** The smallest difference the data can show (a visit, a cent): the ticks fall on whole units. */
  unit?: number;
  /** The top of the axis when the data is all 0 (one euro rather than two cents). */
  least?: number;
}

/**
 * The top of a y axis that reads well: the smallest of 1, 2, 2.5, 4, 5 × 10ⁿ at or above `max`
 * (`least` when all is 0) whose middle tick is a whole number of `unit`s. So the three ticks
 * differ and fall on values the data can take: never "0 / 0 / 0", no half visit, no half cent.
 */
export function niceMax(max: number, unit = 1, least = 2 * unit): number {
  const target = Math.max(max > 0 ? max : least, 2 * unit);
  for (let p = 10 ** Math.floor(Math.log10(target)); ; p *= 10)
    for (const step of [1, 2, 2.5, 4, 5]) if (step * p >= target && Number.isInteger((step * p) / 2 / unit)) return step * p;
}

export const chartStyles = css`
  figure {
    margin: 0;
  }
  figcaption {
    font-weight: 600;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
  }
  .bar {
    fill: var(--p);
  }
  .grid {
    stroke: #d0d7de;
    stroke-width: 1;
  }
  .axis {
    fill: #57606a;
    font-size: 12px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875em;
  }
  th,
  td {
    padding: 0.25em 0.5em;
    border-bottom: 1px solid #d0d7de;
    text-align: left;
  }
  td:last-child,
  th:last-child {
    text-align: right;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  summary {
    min-height: 44px;
    padding: 0.625em 0;
    color: var(--p);
    cursor: pointer;
  }
`;

/**
 * A bar chart of `bars` with its data table; `format` writes a value (bar titles, table),
 * `scale.axis` the y axis's ticks (shorter: "€2.5K", with cents when the step has some).
 */
export function barChart(id: string, text: ChartText, bars: Bar[], format: (n: number) => string, scale: Scale = {}): TemplateResult {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)), scale.unit, scale.least);
  const axis = scale.axis ?? format;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / Math.max(1, bars.length);
  const barW = Math.max(1, step * 0.8);
  const y = (v: number) => TOP + plotH - (Math.max(0, v) / max) * plotH;
  const ticks = [0, max / 2, max];
  const named = new Set([0, Math.floor((bars.length - 1) / 2), bars.length - 1]);
  return html`<figure part="chart" aria-labelledby="${id}-title">
    <figcaption id="${id}-title">${text.title}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title" data-chart=${id}>
      ${ticks.map(
        (t) =>
          svg`<line class="grid" x1=${LEFT} x2=${W - RIGHT} y1=${y(t)} y2=${y(t)}></line>
            <text class="axis tick" x=${LEFT - 6} y=${y(t) + 4} text-anchor="end">${axis(t, max / 2)}</text>`,
      )}
      ${bars.map(
        (b, i) =>
          svg`<rect class="bar" x=${LEFT + i * step + (step - barW) / 2} y=${y(b.value)} width=${barW} height=${TOP + plotH - y(b.value)}>
            <title>${b.label}: ${format(b.value)}</title>
          </rect>`,
      )}
      ${bars.map((b, i) =>
        named.has(i)
          ? svg`<text class="axis" x=${LEFT + i * step + step / 2} y=${H - 8}
              text-anchor=${bars.length > 1 && i === 0 ? 'start' : i === bars.length - 1 && i > 0 ? 'end' : 'middle'}>${b.label}</text>`
          : null,
      )}
    </svg>
    <details>
      <summary>${text.showData}</summary>
      <table>
        <caption class="sr">
          ${text.title}
        </caption>
        <thead>
          <tr>
            <th scope="col">${text.period}</th>
            <th scope="col">${text.title}</th>
          </tr>
        </thead>
        <tbody>
          ${bars.map(
            (b) =>
              html`<tr>
                <th scope="row">${b.label}</th>
                <td>${format(b.value)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}
