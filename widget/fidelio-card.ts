import { css, html, nothing, svg, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { Card, CardAnswer } from '../common/api.ts';
import { Request } from '../common/request.ts';
import { call } from './api.ts';
import { FidelioElement } from './base.ts';

/** A wallet badge's icon: a stack of coloured cards, as on the official badges. */
const cards = (colors: string[], bg?: string) =>
  html`<svg width="28" height="22" viewBox="0 0 28 22" aria-hidden="true">
    ${bg ? svg`<rect width="28" height="22" rx="5" fill=${bg} />` : nothing}
    ${colors.map((c, i) => svg`<rect x="3" y=${2 + i * 4.5} width="22" height="7" rx="2" fill=${c} />`)}
  </svg>`;

/**
 * A member's loyalty card: the balance (a grid of stamps, or points, tier, cashback), the
 * rewards available, the QR code to show at the counter, and the Apple / Google Wallet badges.
 * Fetches the card itself from `serial`, unless given `data` (a signup or card answer).
 *
 * @csspart base - the element's box
 * @csspart card - the coloured pass with the balance
 * @csspart qr - the QR code image
 * @csspart apple-wallet - the "Add to Apple Wallet" badge
 * @csspart google-wallet - the "Add to Google Wallet" badge
 * @csspart error - the error message
 * @cssproperty --fidelio-primary - the card's colour
 * @cssproperty --fidelio-on-primary - the text colour on it
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 */
export class FidelioCard extends FidelioElement {
  static override get styles() {
    return [
      FidelioElement.styles,
      css`
        .pass {
          padding: 1em 1.25em;
          border-radius: var(--r);
          background: var(--p);
          color: var(--po);
        }
        .stamps {
          display: grid;
          grid-template-columns: repeat(5, minmax(0, 44px));
          gap: 0.5em;
        }
        .stamps i {
          display: grid;
          place-items: center;
          aspect-ratio: 1;
          border: 2px dashed;
          border-radius: 50%;
          font-style: normal;
        }
        .stamps .on {
          border-style: solid;
          background: var(--po);
          color: var(--p);
        }
        .big {
          font-size: 2.25em;
          font-weight: 700;
        }
        figure {
          display: flex;
          align-items: center;
          gap: 1em;
        }
        img {
          flex: none;
          padding: 8px;
          border: 1px solid #d0d7de;
          border-radius: var(--s);
          background: #fff;
        }
        .muted {
          display: block;
          font-family: monospace;
          overflow-wrap: anywhere;
        }
        .wallets {
          display: flex;
          flex-wrap: wrap;
          justify-content: center;
          gap: 0.5em;
        }
        /* The two badges as wide as each other. */
        .wallets a {
          display: flex;
          flex: 1 1 0;
          justify-content: center;
          min-width: 11em;
          max-width: 15em;
          align-items: center;
          gap: 10px;
          height: 48px;
          padding: 0 16px 0 12px;
          border: 1px solid #a6a6a6;
          border-radius: 10px;
          background: #000;
          color: #fff;
          font-weight: 600;
          line-height: 1.1;
          text-decoration: none;
          white-space: nowrap;
        }
        a + a {
          border-radius: 24px;
        }
        small {
          display: block;
          font-size: 11px;
          font-weight: 400;
        }
      `,
    ];
  }

  static override get properties(): PropertyDeclarations {
    return {
      serial: {},
      data: { attribute: false },
      reward: {},
      currency: {},
      bonus: { type: Number },
    };
  }

  #load = new Request(this, (signal, serial: string) => call<CardAnswer>(this.url('cards', serial), signal));

  /** The card's serial: the card is fetched from the API. */
  serial = '';
  /** The card and its links, when already known: nothing is fetched. */
  data?: CardAnswer;
  /** The reward's name, shown with the rewards available. */
  reward = '';
  /** ISO 4217 code for a cashback balance. */
  currency = '';
  /** A welcome gift just credited, shown on a new member's card. */
  bonus = 0;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('serial') || changed.has('api')) && this.serial && !this.data) void this.#load.run(this.serial);
  }

  #money(minor: number): string {
    const f = new Intl.NumberFormat(
      this.locale,
      this.currency ? { style: 'currency', currency: this.currency } : { minimumFractionDigits: 2 },
    );
    return f.format(minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
  }

  #balance(c: Card) {
    const m = this.m;
    const n = new Intl.NumberFormat(this.locale);
    if (c.programType === 'stamps') {
      const total = c.stampsRequired ?? 10;
      const have = Math.min(c.stamps ?? 0, total);
      return html`<div class="stamps" aria-hidden="true">
          ${Array.from({ length: total }, (_, i) => html`<i class=${i < have ? 'on' : ''}>${i < have ? '✓' : ''}</i>`)}
        </div>
        <p>${m.stampsOf(have, total)}. ${m.toGo(total - have)}</p>`;
    }
    if (c.programType === 'cashback')
      return html`<p class="big">${this.#money(c.cashbackBalance ?? 0)}</p>
        <p>${m.cashback}</p>`;
    return html`<p><span class="big">${n.format(c.points ?? 0)}</span> ${m.points}</p>
      ${c.tier ? html`<p>${m.tier}: <strong>${c.tier}</strong></p>` : nothing}`;
  }

  #view({ card, links, wallets }: CardAnswer) {
    const m = this.m;
    const gift =
      card.programType === 'stamps'
        ? `+${this.bonus} ${m.stamps(this.bonus)}`
        : card.programType === 'cashback'
          ? `+${this.#money(this.bonus)}`
          : `+${this.bonus} ${m.points}`;
    return html`<div class="pass stack" part="card">
        <p><strong>${card.customerName}</strong></p>
        ${this.#balance(card)}
        ${card.rewardsAvailable ? html`<p><strong>${m.rewards(card.rewardsAvailable)}${this.reward && ` (${this.reward})`}</strong></p>` : nothing}
        ${this.bonus > 0 ? html`<p>${m.bonus(gift)}</p>` : nothing}
      </div>
      <figure>
        <img part="qr" src=${links.qr} alt=${m.qrAlt} width="144" height="144" />
        <figcaption>${m.showCode} <span class="muted">${card.serial}</span></figcaption>
      </figure>
      <div class="wallets">
        ${
          wallets?.apple === false
            ? nothing
            : html`<a part="apple-wallet" href=${links.applePass}
                >${cards(['#2fa1dd', '#f5a623', '#4cd964', '#ff3b30'], '#fff')}<span><small>${m.addTo} </small>Apple Wallet</span></a
              >`
        }
        ${
          wallets?.google === false
            ? nothing
            : html`<a part="google-wallet" href=${links.googleSave} target="_blank" rel="noopener"
                >${cards(['#4285f4', '#ea4335', '#fbbc04', '#34a853'])}<span><small>${m.addTo} </small>Google Wallet</span></a
              >`
        }
      </div>`;
  }

  override render() {
    return html`<div part="base" class="base stack">
      ${this.data ? this.#view(this.data) : this.states(this.#load, (v) => this.#view(v))}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-card': FidelioCard;
  }
}
