// The counter screen, the element only: its writes and their outbox are `counter-writes.ts`, what a
// serial looks like is `serial.ts`. Over 500 lines: its three ways to find a card (scan, search by
// name, type the serial) lead to the one card on screen, its actions and their outcome, at the
// shop the device or the account says.
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Card, CustomerSummary, Me, Program, ShopLocation } from '../common/api.ts';
import { define } from '../common/define.ts';
import { localize } from '../common/localize.ts';
import { currencyDigits, formatMoney, parseMoney } from '../common/money.ts';
import { Request } from '../common/request.ts';
import { merchant } from './api.ts';
import { DashboardElement } from './base.ts';
import { type Action, CounterWrites, UNDO_MS, type WriteBody } from './counter-writes.ts';
import { field } from './field.ts';
import { Outbox, outbox } from './queue.ts';
import { normaliseSerial, SERIAL, serialFrom } from './serial.ts';

/** Where this device remembers the shop the counter records visits for. */
export const SHOP_KEY = 'fidelio.counter.location';
/** Milliseconds of quiet typing before a name or email is searched. */
export const SEARCH_DELAY_MS = 300;

const text = localize({
  shop: ['Shop', 'Boutique'],
  shopHint: [
    'Visits are recorded for this shop. This device remembers it.',
    'Les visites sont enregistrées pour cette boutique. Ce choix est mémorisé sur cet appareil.',
  ],
  atShop: [(name: string) => `Shop: ${name}`, (name: string) => `Boutique : ${name}`],
});

/** The shop this device last chose, if it can tell (no storage in some private modes). */
function remembered(): string | null {
  try {
    return localStorage.getItem(SHOP_KEY);
  } catch {
    return null;
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(SHOP_KEY, id);
  } catch {
    // Not remembered: the choice holds until the page is reloaded.
  }
}

/**
 * The counter: find a card by its serial (typed, pasted, scanned, or picked from a search by
 * name), then stamp it (+1), record a purchase (points, tiers, cashback programs) or redeem a
 * reward. The buttons refuse a second tap while a write is in flight; the writes themselves,
 * their `Idempotency-Key` and the offline outbox are `counter-writes.ts`. The writes waiting in
 * the outbox are listed, with "Send now", and those the server refused for good.
 *
 * What the last write did is said in the bar stuck to the bottom of the screen, above its
 * buttons, so the bar never hides it: in a live region when all is well ("Reward earned!",
 * "Stamp saved offline", the reason and "Try again"), as an alert when not. A write saved
 * offline reads as saved, not failed, and the card says what of it is still to be sent. A visit
 * that paid the member's referral bonus says how much of it was the bonus. After a redemption,
 * "Undo" stays next to "Reward redeemed." for `undoFor` (8 s): a mistaken tap is given back, and
 * the bar says so.
 *
 * With shops (`program.locations`), each write says where it happened: an account tied to a
 * shop (`me.locationId`) sees its shop's name and sends nothing more (the server uses the
 * account's); any other picks the shop in a select (remembered on the device under
 * `fidelio.counter.location`, the first shop until then) sent as `locationId`.
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
      .messages,
      .buttons {
        display: grid;
        gap: 0.5em;
      }
      .waiting {
        font-weight: 600;
      }
      .done {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1em;
        align-items: center;
        justify-content: space-between;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    program: { attribute: false },
    me: { attribute: false },
    shop: { state: true },
    serial: { state: true },
    amount: { state: true },
    scanning: { state: true },
    outbox: { attribute: false },
    camera: { attribute: false },
    undoFor: { attribute: false },
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
  #writes = new CounterWrites(
    this,
    () => this.#card?.serial,
    () => this.emit('fd-signed-out', undefined),
  );
  /** The action of the last write, for its confirmation. */
  #action: Action = 'stamps';
  /** "Undo" had the focus as it went away: the focus goes to the bar's buttons. */
  #refocus = false;

  /** The merchant's program: its type, currency, rewards and shops. */
  program?: Program;
  /** Who is signed in: an account tied to a shop records visits there. */
  me?: Me;
  /** The shop chosen in the select (`program.locations[].id`), as this device remembers it. */
  protected shop = remembered() ?? '';
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
  /** How long "Undo" is offered after a redemption, in milliseconds. */
  undoFor = UNDO_MS;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const undo = this.renderRoot.querySelector('#undo');
    this.#refocus ||= undo !== null && this.shadowRoot?.activeElement === undo && !this.#undoOffered;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.#refocus) return;
    this.#refocus = false;
    this.renderRoot.querySelector<HTMLElement>('[part=buttons] button')?.focus();
  }

  /** How a queued write is listed: "+1 stamp — Léa Petit". */
  #label(c: Card, action: Action, body: WriteBody): string {
    const m = this.m;
    const reward = this.program?.rewards.find((r) => r.id === body.rewardId);
    const what =
      action === 'stamps'
        ? m.addStamp
        : action === 'purchases'
          ? this.#money(body.amount ?? 0)
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
    }, SEARCH_DELAY_MS);
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
    this.#writes.forget();
    void this.#lookup.run(this.serial);
  }

  /** The card as last seen: after the last write, else as looked up. */
  get #card(): Card | undefined {
    const looked = this.#lookup.status === 'complete' ? this.#lookup.value?.card : undefined;
    const fresh = this.#writes.fresh;
    return looked && fresh?.serial === looked.serial ? fresh : looked;
  }

  /** The shops to pick from: the program's, unless the account is tied to one (or is not known yet). */
  get #shops(): ShopLocation[] {
    return this.me && this.me.locationId === null ? (this.program?.locations ?? []).filter((l) => l.id) : [];
  }

  /** The shop sent with the writes: the one chosen if it still exists, else the first. */
  get #shopId(): string | undefined {
    const shops = this.#shops;
    return (shops.find((l) => l.id === this.shop) ?? shops[0])?.id;
  }

  #chooseShop(e: Event): void {
    this.shop = (e.target as HTMLSelectElement).value;
    remember(this.shop);
  }

  async #act(action: Action, written: WriteBody): Promise<void> {
    const card = this.#card;
    if (!card || this.#writes.busy) return;
    const locationId = this.#shopId;
    const body = locationId ? { ...written, locationId } : written;
    this.#action = action;
    const done = await this.#writes.act(card, action, body, this.#label(card, action, body));
    if (done && action === 'purchases') this.amount = '';
  }

  get #currency(): string {
    return this.program?.currency ?? 'EUR';
  }

  /** Minor units in the program's currency, for reading. */
  #money(minor: number): string {
    return formatMoney(minor, this.#currency, this.locale);
  }

  /** The amount typed, in minor units (12,50 € → 1250), or 0 when it is not an amount above 0. */
  get #minor(): number {
    return parseMoney(this.amount, currencyDigits(this.#currency)) ?? 0;
  }

  #balance(c: Card) {
    const m = this.m;
    if (c.programType === 'stamps')
      return html`<p><span class="big">${c.stamps ?? 0} / ${c.stampsRequired ?? 10}</span> ${m.stamps}</p>
        ${c.rewardsAvailable ? html`<p><strong>${m.rewards(c.rewardsAvailable)}</strong></p>` : nothing}`;
    if (c.programType === 'cashback')
      return html`<p class="big">${this.#money(c.cashbackBalance ?? 0)}</p>
        <p>${m.cashback}</p>`;
    return html`<p><span class="big">${new Intl.NumberFormat(this.locale).format(c.points ?? 0)}</span> ${m.points}</p>
      ${c.tier ? html`<p>${m.tier}: <strong>${c.tier}</strong></p>` : nothing}`;
  }

  /** The writes of this card still in the outbox, by action: what its balance does not show yet. */
  #waiting(c: Card): [Action, number][] {
    const waiting: Record<Action, number> = { stamps: 0, purchases: 0, redemptions: 0 };
    for (const item of this.#writes.pending) {
      const [, serial, action] = item.path.split('/');
      if (serial !== c.serial || !(action === 'stamps' || action === 'purchases' || action === 'redemptions')) continue;
      waiting[action] += action === 'stamps' ? ((item.body as WriteBody).count ?? 1) : 1;
    }
    return (Object.entries(waiting) as [Action, number][]).filter(([, n]) => n > 0);
  }

  /** "Undo" is shown: a redemption just answered, its undo not refused. */
  get #undoOffered(): boolean {
    const u = this.#writes.undo;
    return this.#writes.write.status === 'complete' && !!this.#writes.undoable && (u.status === 'idle' || u.status === 'pending');
  }

  /** The referral bonus of a visit, in the program's unit: "+2 bonus stamps: a referred friend’s first visit." */
  #bonus(c: Card, n: number): string {
    const unit = c.programType === 'stamps' ? 'stamps' : c.programType === 'cashback' ? 'cashback' : 'points';
    return this.m.referralBonus(unit, n, unit === 'cashback' ? this.#money(n) : new Intl.NumberFormat(this.locale).format(n));
  }

  /**
   * How the last write went, when it went well or is safe: sending, done (with a reward earned,
   * the referral bonus in it, "Undo" after a redemption), undone, saved offline (not an error: it
   * is sent by itself), everything sent. In the bar's live region.
   */
  #status() {
    const w = this.#writes.write;
    const m = this.m;
    if (w.status === 'pending') return html`<p class="hint">${m.sending}</p>`;
    if (this.#writes.queued) {
      const n = this.#writes.pending.length;
      return n
        ? html`<div class="alert ok stack" part="saved">
            <p><strong>${m.savedOffline[this.#action]}</strong> ${m.sentLater(n)}</p>
            <button class="btn ghost small" type="button" @click=${this.#writes.flush}>${m.retry}</button>
          </div>`
        : html`<p class="alert ok">${m.allSent}</p>`;
    }
    if (w.status === 'complete') {
      const u = this.#writes.undo;
      if (u.status === 'complete') return html`<p class="alert ok" part="undone">${m.undone}</p>`;
      const done = { stamps: m.stamped, purchases: m.purchased, redemptions: m.redeemed }[this.#action];
      const bonus = w.value?.referralBonus && w.value.card ? ` ${this.#bonus(w.value.card, w.value.referralBonus)}` : '';
      const undo = this.#undoOffered
        ? html`<button
            id="undo"
            class="btn ghost small"
            type="button"
            aria-describedby="done"
            aria-disabled=${u.status === 'pending'}
            @click=${this.#writes.undoLast}
          >
            ${u.status === 'pending' ? m.undoing : m.undo}
          </button>`
        : nothing;
      return html`<div class="alert ok done" part="done">
        <p id="done">${w.value?.rewardEarned ? html`<strong>${m.rewardEarned}</strong> ` : nothing}${done}${bonus}</p>
        ${undo}
      </div>`;
    }
    return nothing;
  }

  /** What went wrong: the last write, refused or unanswered and not queued (a retry sends the same key). */
  #alert() {
    const w = this.#writes.write;
    const m = this.m;
    const u = this.#writes.undo;
    if (u.status === 'error') return this.failure(u, u.error?.status === 409 ? m.undoTooLate : undefined);
    if (w.status !== 'error' || this.#writes.queued) return nothing;
    const s = w.error?.status;
    return this.failure(w, s === 404 ? m.notFound : s === 409 ? m.insufficient : undefined);
  }

  #actions(c: Card) {
    const m = this.m;
    const busy = this.#writes.busy;
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
      ${field(
        'amount',
        m.amount,
        (w) =>
          html`<input
            id=${w.id}
            inputmode="decimal"
            autocomplete="off"
            .value=${this.amount}
            @input=${(e: InputEvent) => (this.amount = (e.target as HTMLInputElement).value)}
          />`,
      )}
      <button class="btn" type="button" aria-disabled=${busy || !amount} @click=${() => amount && this.#act('purchases', { amount })}>
        ${m.addPurchase}
      </button>`;
  }

  /**
   * The card, what of it waits in the outbox, and the bar stuck to the bottom: the messages of the
   * last write on top of its buttons, where the sticky bar cannot cover them.
   */
  #result() {
    const l = this.#lookup;
    const m = this.m;
    if (l.status === 'pending') return html`<p class="state" role="status">${m.loading}</p>`;
    if (l.status === 'error') return this.failure(l, l.error?.status === 404 ? m.notFound : undefined);
    const c = this.#card;
    if (!c) return nothing;
    const waiting = this.#waiting(c);
    return html`<section class="card stack" part="card" aria-live="polite">
        <h2>${c.customerName}</h2>
        ${this.#balance(c)}
        ${
          waiting.length
            ? html`<p class="waiting" part="waiting">${waiting.map(([action, n]) => m.pendingOnCard(action, n)).join(' · ')}</p>`
            : nothing
        }
      </section>
      ${this.#pendingView()}
      <div class="actions" part="actions">
        <div class="messages" part="messages">
          <div role="status">${this.#status()}</div>
          ${this.#alert()} ${this.#refusedView()}
        </div>
        <div class="buttons" part="buttons">${this.#actions(c)}</div>
      </div>`;
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
    return html`${field(
      'search',
      m.search,
      (w) =>
        html`<input
          id=${w.id}
          type="search"
          autocomplete="off"
          spellcheck="false"
          enterkeyhint="search"
          aria-describedby=${w.describedBy}
          @input=${this.#searchInput}
        />`,
      { hint: m.searchHint },
    )}
    ${found}`;
  }

  /** Where the visits are recorded: the account's shop, or a select of the program's. */
  #shopView() {
    const t = text(this.locale);
    const tied = this.me?.locationId ? this.program?.locations.find((l) => l.id === this.me?.locationId) : undefined;
    if (tied) return html`<p class="shop" part="shop"><strong>${t.atShop(tied.name)}</strong></p>`;
    const shops = this.#shops;
    if (!shops.length) return nothing;
    const chosen = this.#shopId;
    return field(
      'shop',
      t.shop,
      (w) =>
        html`<select id=${w.id} aria-describedby=${w.describedBy} @change=${this.#chooseShop}>
          ${shops.map((l) => html`<option value=${l.id!} ?selected=${l.id === chosen}>${l.name}</option>`)}
        </select>`,
      { hint: t.shopHint },
    );
  }

  override render() {
    const m = this.m;
    return html`<div class="stack">
      ${this.#shopView()} ${this.#scan()} ${this.#finder()}
      <form @submit=${this.#find}>
        ${field(
          'serial',
          m.serial,
          (w) =>
            html`<input
              id=${w.id}
              autocomplete="off"
              autocapitalize="off"
              spellcheck="false"
              aria-describedby=${w.describedBy}
              @input=${this.#input}
            />`,
          { hint: m.serialHint },
        )}
        <button class="btn ghost" type="submit" ?disabled=${!SERIAL.test(this.serial)}>${m.find}</button>
      </form>
      ${this.#result()} ${this.#card ? nothing : html`${this.#refusedView()} ${this.#pendingView()}`}
    </div>`;
  }

  /** The writes the server refused when they were sent from the outbox, until seen. */
  #refusedView() {
    const m = this.m;
    if (!this.#writes.failed.length) return nothing;
    return html`<div class="alert stack" role="alert" part="failed">
      <ul>
        ${this.#writes.failed.map(
          (f) => html`<li>${m.notSent(f.label)} ${f.status === 404 ? m.notFound : f.status === 409 ? m.insufficient : m.failed}</li>`,
        )}
      </ul>
      <button class="btn ghost small" type="button" @click=${() => this.#writes.dismiss()}>${m.dismiss}</button>
    </div>`;
  }

  /** The writes waiting in the outbox, oldest first, with "Send now". */
  #pendingView() {
    const m = this.m;
    const p = this.#writes.pending;
    if (!p.length) return nothing;
    return html`<section class="stack" part="pending" aria-live="polite">
      <h2>${m.pendingTitle(p.length)}</h2>
      <ul>
        ${p.map((i) => html`<li>${i.label}</li>`)}
      </ul>
      <button class="btn ghost small" type="button" @click=${this.#writes.flush}>${m.sendNow}</button>
    </section>`;
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
