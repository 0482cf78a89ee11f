import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { TIMEOUT } from '../widget/api.ts';
import { Request } from '../widget/request.ts';
import { type Card, type CustomerSummary, merchant, MerchantProblem, type Program } from './api.ts';
import { DashboardElement, define } from './base.ts';
import { type Item, Outbox, outbox, type Verdict, verdict } from './queue.ts';

/** What a card serial looks like once typed or pasted: 26 base32 characters, lower-case. */
export const SERIAL = /^[a-z2-7]{26}$/;

/** Lower-case, no spaces: how a serial read aloud, pasted or typed in groups becomes one. */
export const normaliseSerial = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

/**
 * The serial in a scanned QR code: the code of a card or a pass holds the serial itself; a
 * link to a card (`…/cards/<serial>`, `…/<serial>.pkpass`) is read too. Anything else: null.
 */
export function serialFrom(text: string): string | null {
  const s = normaliseSerial(text);
  if (SERIAL.test(s)) return s;
  let path: string;
  try {
    path = new URL(text.trim()).pathname;
  } catch {
    return null;
  }
  const found = path.split('/').map((p) => p.replace(/\.[a-z]+$/, '').toLowerCase());
  return found.find((p) => SERIAL.test(p)) ?? null;
}

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
 * Offline: a write that gets no answer (unreachable, too slow) goes to the outbox (IndexedDB,
 * `queue.ts`) with its key, and so does every write while the browser is offline, the last
 * attempt failed on the network, or older writes still wait. The outbox is sent when the
 * connection is back (`online`), on start (it survives a reload), every 10 s while not empty,
 * and on "Try again" / "Send now"; a write the server refuses for good (404, 409…) is shown
 * as not sent. A resend of a write that had landed is answered by the server's idempotency.
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
      .big {
        font-size: 2.5em;
        font-weight: 700;
        line-height: 1.2;
      }
      .found {
        display: grid;
        gap: 0.5em;
        padding: 0;
        list-style: none;
      }
      .found .btn {
        font-size: 1em;
        text-align: start;
      }
      .found small {
        display: block;
        font-weight: 400;
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    program: { attribute: false },
    serial: { state: true },
    amount: { state: true },
    scanning: { state: true },
    outbox: { attribute: false },
    camera: { attribute: false },
  };

  #lookup = new Request(this, (signal, serial: string) => this.#call<{ card: Card }>(merchant(signal, 'GET', `cards/${serial}`)));
  #search = new Request(this, (signal, q: string) =>
    this.#call<{ customers: CustomerSummary[] }>(merchant(signal, 'GET', `customers?q=${encodeURIComponent(q)}&limit=5`)),
  );
  /** The scanner's code: a chunk of its own (the decoder is ≈ 46 KB gzip), loaded on the first "Scan a card". */
  #scanner = new Request(this, async () => {
    await import('./scanner/fd-scanner.ts');
  });
  #searchTimer?: ReturnType<typeof setTimeout>;
  /** The text the last search was for. */
  #query = '';
  #write = new Request(this, async (signal, item: Item) => {
    try {
      const answer = await this.#call<WriteAnswer>(merchant(signal, item.method, item.path, { body: item.body, key: item.key }));
      this.#fresh = answer.card;
      this.#offline = false;
      return answer;
    } catch (e) {
      // No answer (unreachable, too slow, or cut short by another lookup): it may or may not
      // have landed. Queued with its key, its resend counts once either way.
      const problem = e instanceof MerchantProblem;
      if (problem && e.status === 0) this.#offline = true;
      if (!problem || e.status === 0) await this.#queue(item);
      throw e;
    }
  });
  /** The action of the last write, for its confirmation. */
  #action: Action = 'stamps';
  /** The card as last answered by a write (direct or from the outbox). */
  #fresh?: Card;
  /** The last attempt got no answer: new writes go to the outbox first. */
  #offline = false;
  /** The outbox's writes, oldest first. */
  #pending: Item[] = [];
  /** Writes the server refused when sent from the outbox, until dismissed. */
  #failed: { label: string; status: number }[] = [];
  /** The last action went to the outbox. */
  #queued = false;
  /** An action is being put in the outbox. */
  #queueing = false;
  #listened?: Outbox;
  #timer?: ReturnType<typeof setInterval>;

  /** The merchant's program: its type, currency and rewards. */
  program?: Program;
  /** Where writes without an answer wait (the dashboard's, unless given one). */
  outbox: Outbox = outbox;
  /** The serial as typed, normalised. */
  protected serial = '';
  /** The purchase amount as typed. */
  protected amount = '';
  /** The camera view is open. */
  protected scanning = false;
  /** Where the scanner's video comes from (tests give a canvas stream); none: the back camera. */
  camera?: () => Promise<MediaStream>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listened = this.outbox;
    this.#listened.addEventListener('change', this.#refresh);
    addEventListener('online', this.#flush);
    this.#timer = setInterval(() => this.#pending.length && void this.#flush(), 10_000);
    // Writes queued before a reload: shown at once, and sent if the network is there.
    void this.#refresh().then(this.#flush);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listened?.removeEventListener('change', this.#refresh);
    removeEventListener('online', this.#flush);
    clearInterval(this.#timer);
    clearTimeout(this.#searchTimer);
  }

  #refresh = async (): Promise<void> => {
    try {
      this.#pending = await this.outbox.pending();
    } catch {
      this.#pending = []; // No IndexedDB here: nothing was queued either.
    }
    this.requestUpdate();
  };

  /** Sends the outbox, oldest first; stops at the first write without an answer. */
  #flush = async (): Promise<void> => {
    try {
      await this.outbox.flush((item) => this.#send(item));
    } catch {
      // IndexedDB unavailable: nothing to send.
    }
    await this.#refresh();
  };

  async #send(item: Item): Promise<Verdict> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(TIMEOUT), this.timeout);
    let status = 200;
    try {
      const answer = await merchant<WriteAnswer | undefined>(ac.signal, item.method, item.path, { body: item.body, key: item.key });
      if (answer?.card) this.#fresh = answer.card;
    } catch (e) {
      status = e instanceof MerchantProblem ? e.status : 0;
    } finally {
      clearTimeout(timer);
    }
    this.#offline = status === 0;
    if (status === 401) this.emit('fd-signed-out', undefined);
    const v = verdict(status);
    if (v === 'drop') this.#failed = [...this.#failed, { label: item.label, status }];
    this.requestUpdate();
    return v;
  }

  /** Puts a write in the outbox; false when there is no outbox (no IndexedDB). */
  async #queue(item: Item): Promise<boolean> {
    try {
      await this.outbox.enqueue(item);
    } catch {
      return false;
    }
    await this.#refresh();
    // Unless another card was looked up meanwhile, say where this one went.
    if (item.path.split('/')[1] === this.#card?.serial) this.#queued = true;
    this.requestUpdate();
    return true;
  }

  /** How a queued write is listed: "+1 stamp — Léa Petit". */
  #label(c: Card, action: Action, body: { count?: number; amount?: number; rewardId?: string }): string {
    const m = this.m;
    const reward = this.program?.rewards.find((r) => r.id === body.rewardId);
    const what =
      action === 'stamps'
        ? m.addStamp
        : action === 'purchases'
          ? this.#moneyFormat.format((body.amount ?? 0) / 10 ** this.#digits)
          : reward
            ? m.redeemThis(reward.name)
            : m.redeem;
    return `${what} — ${c.customerName}`;
  }

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

  /** Looks a serial up as if it had been typed: it shows in the field, and the card is fetched. */
  #lookUp(serial: string): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#serial');
    if (input) input.value = serial;
    this.serial = serial;
    this.#find();
  }

  async #openScanner(): Promise<void> {
    this.scanning = true;
    if (this.#scanner.status !== 'complete') await this.#scanner.run();
  }

  #scanned(e: CustomEvent<string>): void {
    this.scanning = false;
    this.#lookUp(e.detail);
  }

  async #scanClosed(): Promise<void> {
    this.scanning = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#scan')?.focus();
  }

  /** Searches as the name or email is typed, once typing pauses. */
  #searchInput(e: InputEvent): void {
    const q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.#searchTimer);
    if (q.length < 2) {
      this.#query = '';
      this.#search.reset();
      return;
    }
    this.#searchTimer = setTimeout(() => {
      this.#query = q;
      void this.#search.run(q);
    }, 300);
  }

  /** A customer chosen from the search: their card is looked up, the list goes away. */
  #pick(c: CustomerSummary): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#search');
    if (input) input.value = '';
    this.#query = '';
    this.#search.reset();
    this.#lookUp(c.card.serial);
  }

  #find(e?: SubmitEvent): void {
    e?.preventDefault();
    if (!SERIAL.test(this.serial)) return;
    this.#write.reset();
    this.#fresh = undefined;
    this.#queued = false;
    void this.#lookup.run(this.serial);
  }

  /** The card as last seen: after the last write, else as looked up. */
  get #card(): Card | undefined {
    const looked = this.#lookup.status === 'complete' ? this.#lookup.value?.card : undefined;
    return looked && this.#fresh?.serial === looked.serial ? this.#fresh : looked;
  }

  get #busy(): boolean {
    return this.#write.status === 'pending' || this.#queueing;
  }

  async #act(action: Action, body: { count?: number; amount?: number; rewardId?: string }): Promise<void> {
    const card = this.#card;
    if (!card || this.#busy) return;
    this.#action = action;
    this.#queued = false;
    // One key per action, drawn now: a retry, or a resend from the outbox, sends the same key.
    const item: Item = {
      key: crypto.randomUUID(),
      method: 'POST',
      path: `cards/${card.serial}/${action}`,
      body,
      label: this.#label(card, action, body),
    };
    if (!navigator.onLine || this.#offline || this.#pending.length) {
      // Offline, or older writes still waiting: this one goes behind them, and they are sent in order.
      this.#write.reset();
      this.#queueing = true;
      const queued = await this.#queue(item);
      this.#queueing = false;
      this.requestUpdate();
      if (queued) {
        if (action === 'purchases') this.amount = '';
        if (navigator.onLine) await this.#flush();
        return;
      }
    }
    await this.#write.run(item);
    if ((this.#write.status === 'complete' || this.#queued) && action === 'purchases') this.amount = '';
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
    if (this.#queued) {
      const n = this.#pending.length;
      return n
        ? html`<div class="alert stack" role="alert">
            <p>${m.offline}</p>
            <p>${m.savedOffline(n)}</p>
            <button class="btn ghost small" type="button" @click=${this.#flush}>${m.retry}</button>
          </div>`
        : html`<p class="alert ok" role="status">${m.allSent}</p>`;
    }
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
    const busy = this.#busy;
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

  /** "Scan a card", or the camera view once pressed (its code loaded then). */
  #scan() {
    const m = this.m;
    const s = this.#scanner;
    if (this.scanning && s.status === 'complete')
      return html`<fd-scanner
        lang=${this.locale}
        .source=${this.camera}
        .accept=${serialFrom}
        @fd-scan=${this.#scanned}
        @fd-scan-close=${this.#scanClosed}
      ></fd-scanner>`;
    const failed = this.scanning && s.status === 'error';
    return html`<button
        id="scan"
        class="btn ${this.#card ? 'ghost' : ''}"
        type="button"
        aria-disabled=${this.scanning && s.status === 'pending'}
        @click=${this.#openScanner}
      >
        ${m.scan}
      </button>
      ${failed ? html`<p class="alert" role="alert">${m.scannerFailed}</p>` : nothing}`;
  }

  /** "Find by name or email" and the customers it finds. */
  #finder() {
    const m = this.m;
    const s = this.#search;
    let found: unknown = nothing;
    if (s.status === 'pending') found = html`<p class="hint" role="status">${m.searching}</p>`;
    else if (s.status === 'error') found = this.failure(s);
    else if (s.status === 'complete') {
      const list = s.value?.customers ?? [];
      found = list.length
        ? html`<ul class="found" aria-label=${m.found}>
            ${list.map(
              (c) =>
                html`<li>
                  <button class="btn ghost" type="button" @click=${() => this.#pick(c)}>${c.name} <small>${c.email}</small></button>
                </li>`,
            )}
          </ul>`
        : html`<p class="hint" role="status">${m.noMatch(this.#query)}</p>`;
    }
    return html`<div class="field">
        <label for="search">${m.search}</label>
        <input
          id="search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          enterkeyhint="search"
          aria-describedby="search-hint"
          @input=${this.#searchInput}
        />
        <p class="hint" id="search-hint">${m.searchHint}</p>
      </div>
      ${found}`;
  }

  override render() {
    const m = this.m;
    return html`<div class="stack">
      ${this.#scan()} ${this.#finder()}
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
      ${this.#result()} ${this.#outboxView()}
    </div>`;
  }

  /** The writes waiting in the outbox, and those the server refused when they were sent. */
  #outboxView() {
    const m = this.m;
    const p = this.#pending;
    const failed = this.#failed.length
      ? html`<div class="alert stack" role="alert" part="failed">
          <ul>
            ${this.#failed.map(
              (f) => html`<li>${m.notSent(f.label)} ${f.status === 404 ? m.notFound : f.status === 409 ? m.insufficient : m.failed}</li>`,
            )}
          </ul>
          <button class="btn ghost small" type="button" @click=${() => ((this.#failed = []), this.requestUpdate())}>${m.dismiss}</button>
        </div>`
      : nothing;
    const pending = p.length
      ? html`<section class="stack" part="pending" aria-live="polite">
          <h2>${m.pendingTitle(p.length)}</h2>
          <ul>
            ${p.map((i) => html`<li>${i.label}</li>`)}
          </ul>
          <button class="btn ghost small" type="button" @click=${this.#flush}>${m.sendNow}</button>
        </section>`
      : nothing;
    return html`${failed}${pending}`;
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
