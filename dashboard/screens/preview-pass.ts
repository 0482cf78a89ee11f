import { css, html, nothing, svg, type PropertyDeclarations } from 'lit';
import type { Program } from '../../common/api.ts';
import { googleText, HEX, stripBackground } from '../../common/colour.ts';
import { define } from '../../common/define.ts';
import { formatMoney } from '../../common/money.ts';
import { drawableStamps, STRIP_PT, stampLayout } from '../../common/stamp-layout.ts';
import { DashboardElement } from '../base.ts';
import { programMessages } from './program-i18n.ts';

/** The sample member of the preview. */
const SAMPLE = { name: 'Léa', stamps: 7, points: 70, cashbackMinor: 350 };

/** The check mark of a stamp, as the pass draws it. */
const check = (x: number, y: number, r: number, colour: string) =>
  svg`<path d="M${x - 0.42 * r} ${y + 0.02 * r}L${x - 0.13 * r} ${y + 0.31 * r}L${x + 0.44 * r} ${y - 0.28 * r}"
    fill="none" stroke=${colour} stroke-width=${0.17 * r} stroke-linecap="round" stroke-linejoin="round"/>`;

/** A small gift box (the reward slot). */
const gift = (x: number, y: number, s: number, colour: string) =>
  svg`<g fill=${colour}><rect x=${x - 0.95 * s} y=${y - 0.45 * s} width=${1.9 * s} height=${0.33 * s}/>
    <rect x=${x - 0.8 * s} y=${y - 0.02 * s} width=${1.6 * s} height=${0.87 * s}/></g>`;

/** The scalloped seal of the drawn logo (no logo uploaded). */
const SEAL = (() => {
  const points: string[] = [];
  for (let i = 0; i < 120; i++) {
    const t = (2 * Math.PI * i) / 120;
    const rr = 21 * (1 + 0.065 * Math.cos(12 * t));
    points.push(`${(25 + rr * Math.sin(t)).toFixed(2)} ${(25 - rr * Math.cos(t)).toFixed(2)}`);
  }
  return `M${points.join('L')}Z`;
})();

/** A QR-looking pattern (25 × 25 modules, three finder squares): a drawing, not a code. */
const QR = (() => {
  const n = 25;
  let seed = 7;
  const cells: string[] = [];
  const finder = (x: number, y: number) => x < 8 && y < 8;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const inFinder = finder(x, y) || finder(n - 1 - x, y) || finder(x, n - 1 - y);
      if (inFinder) {
        const fx = x < 8 ? x : n - 1 - x;
        const fy = y < 8 ? y : n - 1 - y;
        const ring = Math.max(Math.abs(fx - 3), Math.abs(fy - 3));
        if (ring === 3 || ring <= 1) cells.push(`M${x} ${y}h1v1h-1z`);
      } else if ((seed >> 16) % 2) cells.push(`M${x} ${y}h1v1h-1z`);
    }
  return cells.join('');
})();

/**
 * A live preview of a program's passes, with a sample member (Léa, 7 stamps): the Apple Wallet
 * store card (logo and business name, the primary field over the strip and its stamp grid,
 * the reward and member fields, the QR code) and the Google Wallet loyalty card (logo circle and
 * business name, program title, the points row, the QR code, the hero band). Side by side on a
 * wide screen, one above the other on a phone. The card labels are in the passes' language.
 *
 * @csspart apple - the Apple Wallet card.
 * @csspart google - the Google Wallet card.
 */
export class FdPassPreview extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      .cards {
        display: grid;
        gap: 1.5em;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 18em), 1fr));
        align-items: start;
      }
      figure {
        display: grid;
        gap: 0.5em;
        justify-items: center;
      }
      figcaption {
        font-weight: 600;
        color: #57606a;
      }
      .apple,
      .google {
        width: 100%;
        max-width: 22em;
        overflow: hidden;
        border-radius: 14px;
        box-shadow:
          0 1px 3px rgb(0 0 0 / 0.2),
          0 8px 24px rgb(0 0 0 / 0.12);
        line-height: 1.25;
      }
      .apple {
        background: var(--bg);
        color: var(--fg);
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.75em;
        min-height: 3.5em;
      }
      .logo {
        width: 2.25em;
        height: 2.25em;
        flex: none;
        object-fit: contain;
      }
      .name {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-weight: 600;
      }
      .strip {
        position: relative;
        aspect-ratio: 375 / 144;
      }
      .strip svg,
      .hero svg {
        display: block;
        width: 100%;
        height: 100%;
      }
      .primary {
        position: absolute;
        top: 0.5em;
        left: 0.75em;
        display: grid;
      }
      .primary .value {
        font-size: 2em;
        font-weight: 300;
        line-height: 1.1;
      }
      .label {
        color: var(--label);
        font-size: 0.6875em;
        font-weight: 600;
        letter-spacing: 0.04em;
        text-transform: uppercase;
      }
      .fields {
        display: flex;
        justify-content: space-between;
        gap: 1em;
        padding: 0.75em;
      }
      .fields > div {
        display: grid;
        min-width: 0;
      }
      .fields > div:last-child {
        text-align: end;
      }
      .value {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .code {
        display: grid;
        justify-items: center;
        gap: 0.25em;
        margin: 0.5em auto 1em;
        padding: 0.5em;
        width: 8.5em;
        border-radius: 8px;
        background: #fff;
        color: #1f2328;
        font-size: 0.875em;
      }
      .code svg {
        width: 100%;
        height: auto;
      }
      .google {
        background: var(--bg);
        color: var(--text);
      }
      .circle {
        display: grid;
        place-items: center;
        width: 2.25em;
        height: 2.25em;
        flex: none;
        overflow: hidden;
        border-radius: 50%;
        background: #fff;
      }
      .circle img {
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .title {
        padding: 0 0.75em;
        font-size: 1.375em;
        font-weight: 400;
      }
      .row {
        display: flex;
        gap: 2em;
        padding: 0.75em;
      }
      .row > div {
        display: grid;
      }
      .glabel {
        font-size: 0.75em;
      }
      .gvalue {
        font-size: 1.125em;
      }
      .hero {
        aspect-ratio: 375 / 144;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...DashboardElement.properties,
    program: { attribute: false },
    merchantName: { attribute: 'merchant-name' },
  };

  /** The program as being edited. */
  program?: Program;
  /** The business name: beside the logo on both passes. */
  merchantName = '';

  /** The design's colours, each falling back to the default while a typed one is not yet a colour. */
  get #colours() {
    const d = this.program!.design;
    const pick = (c: string, fallback: string) => (HEX.test(c) ? c.toLowerCase() : fallback);
    return { bg: pick(d.backgroundColor, '#3b2f2f'), fg: pick(d.foregroundColor, '#ffffff'), label: pick(d.labelColor, '#f3d9b1') };
  }

  /** What the sample member's pass shows, by kind of program: the balance and the strip. */
  get #sample() {
    const p = this.program!;
    const t = programMessages(p.locale);
    if (p.type === 'stamps') {
      const stamps = Math.min(SAMPLE.stamps, p.stampsRequired);
      return { label: t.stampsLabel, value: `${stamps} / ${p.stampsRequired}`, detail: [t.rewardLabel, p.reward.name] as const, stamps };
    }
    if (p.type === 'cashback')
      return { label: t.balanceLabel, value: formatMoney(SAMPLE.cashbackMinor, p.currency, p.locale), detail: null, stamps: 0 };
    const next = [...p.rewards].sort((a, b) => a.points - b.points).find((r) => r.points > SAMPLE.points) ?? p.rewards[0];
    return {
      label: t.pointsLabel,
      value: String(SAMPLE.points),
      detail: next ? ([t.nextRewardLabel, `${next.name} (${next.points})`] as const) : null,
      stamps: 0,
      fraction: next ? Math.min(1, SAMPLE.points / next.points) : 0,
    };
  }

  /** The strip (Apple) and hero band (Google): the stamp grid, a progress bar, or ripples. */
  #strip() {
    const p = this.program!;
    const { bg, fg, label } = this.#colours;
    const s = this.#sample;
    let marks;
    if (p.type === 'stamps') {
      // The grid the pass will have; none while the number typed is one the server refuses.
      const { radius: r, centres } = drawableStamps(p.stampsRequired) ? stampLayout(p.stampsRequired) : { radius: 0, centres: [] };
      const ring = Math.max(0.1 * r, 1.2);
      marks = centres.map(({ x, y }, i) => {
        const reward = i === centres.length - 1;
        if (i < s.stamps) return svg`<circle cx=${x} cy=${y} r=${r} fill=${fg}/>${reward ? gift(x, y, 0.5 * r, bg) : check(x, y, r, bg)}`;
        return svg`<circle cx=${x} cy=${y} r=${r - ring / 2} fill="none" stroke=${label} stroke-opacity=${reward ? 0.85 : 0.5}
          stroke-width=${ring}/>${reward ? gift(x, y, 0.5 * r, label) : nothing}`;
      });
    } else if (p.type === 'cashback') {
      marks = [40, 70, 100, 130].map(
        (r) => svg`<circle cx="375" cy="160" r=${r} fill="none" stroke=${label} stroke-opacity="0.12" stroke-width="6"/>`,
      );
    } else {
      const w = Math.max(16, 315 * ('fraction' in s ? (s.fraction ?? 0) : 0));
      marks = svg`<rect x="14" y="91" width="315" height="16" rx="8" fill=${label} opacity="0.3"/>
        <rect x="14" y="91" width=${w} height="16" rx="8" fill=${fg}/>${gift(350, 100, 11, label)}`;
    }
    return svg`<svg viewBox="0 0 ${STRIP_PT.width} ${STRIP_PT.height}" aria-hidden="true" focusable="false">
      <rect width=${STRIP_PT.width} height=${STRIP_PT.height} fill=${stripBackground(bg)}/>${marks}</svg>`;
  }

  /** The uploaded logo, or the drawn seal in the text colour. */
  #logo(colour: string, cut: string) {
    const url = this.program!.design.logoUrl;
    if (url) return html`<img class="logo" src=${url} alt="" />`;
    return html`<svg class="logo" viewBox="0 0 50 50" aria-hidden="true" focusable="false">
      <path d=${SEAL} fill=${colour} />
      ${check(25, 25.5, 16, cut)}
    </svg>`;
  }

  #qr() {
    const t = programMessages(this.locale);
    return html`<div class="code">
      <svg viewBox="-2 -2 29 29" role="img" aria-label=${t.sampleQr}><path d=${QR} fill="#1f2328" /></svg>
      <span aria-hidden="true">${t.previewTitle}</span>
    </div>`;
  }

  #apple() {
    const p = this.program!;
    const t = programMessages(p.locale);
    const { bg, fg } = this.#colours;
    const s = this.#sample;
    return html`<figure>
      <div class="apple" part="apple">
        <div class="top">${this.#logo(fg, bg)}<span class="name">${this.merchantName}</span></div>
        <div class="strip">
          ${this.#strip()}
          <div class="primary"><span class="label">${s.label}</span><span class="value">${s.value}</span></div>
        </div>
        <div class="fields">
          ${
            s.detail
              ? html`<div><span class="label">${s.detail[0]}</span><span class="value">${s.detail[1]}</span></div>`
              : html`<div></div>`
          }
          <div><span class="label">${t.memberLabel}</span><span class="value">${SAMPLE.name}</span></div>
        </div>
        ${this.#qr()}
      </div>
      <figcaption>${programMessages(this.locale).appleWallet}</figcaption>
    </figure>`;
  }

  #google() {
    const p = this.program!;
    const t = programMessages(p.locale);
    const { bg } = this.#colours;
    const s = this.#sample;
    const url = p.design.logoUrl;
    return html`<figure>
      <div class="google" part="google">
        <div class="top">
          <span class="circle">
            ${
              url
                ? html`<img src=${url} alt="" />`
                : html`<svg class="logo" viewBox="0 0 50 50" aria-hidden="true" focusable="false">
                    <path d=${SEAL} fill=${bg} />
                    ${check(25, 25.5, 16, '#ffffff')}
                  </svg>`
            }
          </span>
          <span class="name">${this.merchantName}</span>
        </div>
        <p class="title">${p.name}</p>
        <div class="row">
          <div><span class="glabel">${s.label}</span><span class="gvalue">${s.value.replace(' / ', '/')}</span></div>
          <div><span class="glabel">${t.memberLabel}</span><span class="gvalue">${SAMPLE.name}</span></div>
        </div>
        ${this.#qr()}
        <div class="hero">${this.#strip()}</div>
      </div>
      <figcaption>${programMessages(this.locale).googleWallet}</figcaption>
    </figure>`;
  }

  /**
   * The pass colours as custom properties, set through the CSSOM: the dashboard's
   * Content-Security-Policy refuses style attributes (and Lit's styleMap writes one on its
   * first render).
   */
  override updated(): void {
    if (!this.program) return;
    const { bg, fg, label } = this.#colours;
    const set = (part: string, props: Record<string, string>) => {
      const el = this.renderRoot.querySelector<HTMLElement>(`[part=${part}]`);
      for (const [k, v] of Object.entries(props)) el?.style.setProperty(k, v);
    };
    set('apple', { '--bg': bg, '--fg': fg, '--label': label });
    set('google', { '--bg': bg, '--text': googleText(bg) });
  }

  override render() {
    if (!this.program) return nothing;
    return html`<div class="cards">${this.#apple()} ${this.#google()}</div>`;
  }
}

define('fd-pass-preview', FdPassPreview);

declare global {
  interface HTMLElementTagNameMap {
    'fd-pass-preview': FdPassPreview;
  }
}
