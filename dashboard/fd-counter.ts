import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { Request } from '../widget/request.ts';
import { type Card, merchant, type Program } from './api.ts';
import { DashboardElement, define } from './base.ts';

/** What a card serial looks like once typed or pasted: 26 base32 characters, lower-case. */
export const SERIAL = /^[a-z2-7]{26}$/;

/** Lower-case, no spaces: how a serial read aloud, pasted or typed in groups becomes one. */
export const normaliseSerial = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

type Action = 'stamps' | 'purchases' | 'redemptions';

interface WriteAnswer {
  card: Card;
  rewardEarned?: boolean;
}

/**
 * The counter: find a card by its serial, then stamp it (+1), record a purchase (points,
 * tiers, cashback programs) or redeem a reward. Every write carries an `Idempotency-Key`
 * drawn when the action starts and sent again by its retry, and the buttons refuse a second
 * tap while a write is in flight: a double tap, or a retry after a lost answer, never stamps twice.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdCounter extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      form {
        display: grid;
        gap: 0.5em;
      }
      #serial {
        font-family: ui-monospace, monospace;
        letter-spacing: 0.05em;
      }
      .card {
        padding: 1em 1.25em;
        border-radius: var(--r);
        background: var(--p);
        color: var(--po);
      }
      .big {
        font-size: 2.5em;
        font-weight: 700;
        line-height: 1.2;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    program: { attribute: false },
    serial: { state: true },
    amount: { state: true },
  };

  #lookup = new Request(this, (signal, serial: string) => this.#call<{ card: Card }>(merchant(signal, 'GET', `cards/${serial}`)));
  #write = new Request(this, (signal, serial: string, action: Action, key: string, body: object) =>
    this.#call<WriteAnswer>(merchant(signal, 'POST', `cards/${serial}/${action}`, { body, key })),
  );
  /** The action of the last write, for its confirmation. */
  #action: Action = 'stamps';

  /** The merchant's program: its type, currency and rewards. */
  program?: Program;
  /** The serial as typed, normalised. */
  protected serial = '';
  /** The purchase amount as typed. */
  protected amount = '';

  async #call<T>(answer: Promise<T>): Promise<T> {
    try {
      return await answer;
    } catch (e) {
      if ((e as { status?: number }).status === 401) this.emit('fd-signed-out', undefined);
      throw e;
    }
  }

  #input(e: InputEvent): void {
    this.serial = normaliseSerial((e.target as HTMLInputElement).value);
    // A pasted (or fully typed) serial is looked up at once: no button to reach for.
    if (SERIAL.test(this.serial) && this.serial !== this.#card?.serial) this.#find();
  }

  #find(e?: SubmitEvent): void {
    e?.preventDefault();
    if (!SERIAL.test(this.serial)) return;
    this.#write.reset();
    void this.#lookup.run(this.serial);
  }

  /** The card as last seen: after the last write, else as looked up. */
  get #card(): Card | undefined {
    return this.#write.value?.card ?? (this.#lookup.status === 'complete' ? this.#lookup.value?.card : undefined);
  }

  async #act(action: Action, body: object): Promise<void> {
    const card = this.#card;
    if (!card || this.#write.status === 'pending') return;
    this.#action = action;
    // One key per action, drawn now: `retry()` sends the same arguments, so the same key.
    await this.#write.run(card.serial, action, crypto.randomUUID(), body);
    if (this.#write.status === 'complete' && action === 'purchases') this.amount = '';
  }

  /** The amount in minor units (12,50 € → 1250), or 0 when it is not a positive number. */
  get #minor(): number {
    const v = Number(this.amount.replace(',', '.').replace(/\s/g, ''));
    return Number.isFinite(v) && v > 0 ? Math.round(v * 10 ** this.#digits) : 0;
  }

  get #digits(): number {
    return this.#moneyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  }

  get #moneyFormat(): Intl.NumberFormat {
    return new Intl.NumberFormat(this.locale, { style: 'currency', currency: this.program?.currency ?? 'EUR' });
  }

  #balance(c: Card) {
    const m = this.m;
    if (c.programType === 'stamps')
      return html`<p><span class="big">${c.stamps ?? 0} / ${c.stampsRequired ?? 10}</span> ${m.stamps}</p>
        ${c.rewardsAvailable ? html`<p><strong>${m.rewards(c.rewardsAvailable)}</strong></p>` : nothing}`;
    if (c.programType === 'cashback')
      return html`<p class="big">${this.#moneyFormat.format((c.cashbackBalance ?? 0) / 10 ** this.#digits)}</p>
        <p>${m.cashback}</p>`;
    return html`<p><span class="big">${new Intl.NumberFormat(this.locale).format(c.points ?? 0)}</span> ${m.points}</p>
      ${c.tier ? html`<p>${m.tier}: <strong>${c.tier}</strong></p>` : nothing}`;
  }

  /** The last write's outcome: a confirmation, or an error (a retry sends the same key). */
  #outcome() {
    const w = this.#write;
    const m = this.m;
    if (w.status === 'pending') return html`<p class="state" role="status">${m.sending}</p>`;
    if (w.status === 'complete') {
      const done = { stamps: m.stamped, purchases: m.purchased, redemptions: m.redeemed }[this.#action];
      return html`<p class="alert ok" role="status">
        ${w.value?.rewardEarned ? html`<strong>${m.rewardEarned}</strong> ` : nothing}${done}
      </p>`;
    }
    if (w.status === 'error') {
      const s = w.error?.status;
      return this.failure(w, s === 404 ? m.notFound : s === 409 ? m.insufficient : undefined);
    }
    return nothing;
  }

  #actions(c: Card) {
    const m = this.m;
    const busy = this.#write.status === 'pending';
    const rewards =
      c.programType === 'stamps'
        ? c.rewardsAvailable
          ? [{ label: m.redeem, body: {} }]
          : []
        : c.programType === 'cashback'
          ? []
          : (this.program?.rewards ?? [])
              .filter((r) => (c.points ?? 0) >= r.points)
              .map((r) => ({ label: m.redeemThis(r.name), body: { rewardId: r.id } }));
    const redeem = rewards.map(
      (r) =>
        html`<button class="btn ghost" type="button" aria-disabled=${busy} @click=${() => this.#act('redemptions', r.body)}>
          ${r.label}
        </button>`,
    );
    if (c.programType === 'stamps')
      return html`${redeem}<button class="btn" type="button" aria-disabled=${busy} @click=${() => this.#act('stamps', { count: 1 })}>
          ${m.addStamp}
        </button>`;
    const amount = this.#minor;
    return html`${redeem}
      <div class="field">
        <label for="amount">${m.amount}</label>
        <input
          id="amount"
          inputmode="decimal"
          autocomplete="off"
          .value=${this.amount}
          @input=${(e: InputEvent) => (this.amount = (e.target as HTMLInputElement).value)}
        />
      </div>
      <button class="btn" type="button" aria-disabled=${busy || !amount} @click=${() => amount && this.#act('purchases', { amount })}>
        ${m.addPurchase}
      </button>`;
  }

  #result() {
    const l = this.#lookup;
    const m = this.m;
    if (l.status === 'pending') return html`<p class="state" role="status">${m.loading}</p>`;
    if (l.status === 'error') return this.failure(l, l.error?.status === 404 ? m.notFound : undefined);
    const c = this.#card;
    if (!c) return nothing;
    return html`<section class="card stack" part="card" aria-live="polite">
        <h2>${c.customerName}</h2>
        ${this.#balance(c)}
      </section>
      ${this.#outcome()}
      <div class="actions">${this.#actions(c)}</div>`;
  }

  override render() {
    const m = this.m;
    return html`<div class="stack">
      <form @submit=${this.#find}>
        <div class="field">
          <label for="serial">${m.serial}</label>
          <input
            id="serial"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            aria-describedby="serial-hint"
            @input=${this.#input}
          />
          <p class="hint" id="serial-hint">${m.serialHint}</p>
        </div>
        <button class="btn ghost" type="submit" ?disabled=${!SERIAL.test(this.serial)}>${m.find}</button>
      </form>
      ${this.#result()}
    </div>`;
  }
}

define('fd-counter', FdCounter);

declare global {
  interface HTMLElementTagNameMap {
    'fd-counter': FdCounter;
  }
  interface GlobalEventHandlersEventMap {
    'fd-signed-out': CustomEvent<undefined>;
  }
}
