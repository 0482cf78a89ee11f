import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { Request, type RequestState } from '../../widget/request.ts';
import { type CustomerCard, type CustomerSummary, merchant } from '../api.ts';
import { define, ScreenElement } from '../base.ts';
import { customersText, type CustomersText } from './customers-i18n.ts';

interface CustomersPage {
  customers: CustomerSummary[];
  nextCursor: string | null;
}

/** One ledger entry of a customer's history: signed deltas, newest first. */
export interface HistoryEntry {
  kind: string;
  stamps: number;
  rewards: number;
  points: number;
  cashback: number;
  amount: number | null;
  rewardId: string | null;
  actor: string | null;
  actorName: string | null;
  reason: string | null;
  at: string;
}

/** `GET /api/merchant/customers/:id`. */
interface CustomerDetail {
  customer: Omit<CustomerSummary, 'card'>;
  card: CustomerCard;
  history: HistoryEntry[];
}

/** What `POST /cards/:serial/adjustments` answers (the card as the counter sees it). */
interface AdjustAnswer {
  card: { serial: string };
  rewardsEarned?: number;
}

/** Customers per page of the list. */
const PAGE = 20;
/** The server sends at most this many history entries. */
const HISTORY_CAP = 200;
/** Milliseconds of quiet typing before the search goes out. */
const DEBOUNCE_MS = 300;

/**
 * The Customers screen: search the merchant's customers by name or email (as you type, each
 * search superseding the last), page through them, and open one: the card, the join date and
 * the history (each entry's date, what happened and who did it), all formatted in the user's
 * language and the program's currency. The owner also adjusts a card by hand with a reason
 * (an `Idempotency-Key` drawn per attempt, sent again by its retry), exports every customer as
 * CSV, and erases a customer (GDPR) after a confirmation that names them. Staff see the list and
 * the pages only; the server refuses them the rest anyway (403).
 *
 * One customer opens inside the screen (the shell routes screens, not customers); "Back to
 * the list" returns to the list where it was, focus on the customer's row.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdCustomers extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .list {
        padding: 0;
        list-style: none;
      }
      .list > li + li {
        margin-top: 0.5em;
      }
      .row {
        display: grid;
        gap: 0.125em;
        width: 100%;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
        background: #fff;
        color: inherit;
        text-align: start;
        cursor: pointer;
      }
      .row strong,
      .row span,
      .who {
        overflow-wrap: anywhere;
      }
      .meta {
        color: #57606a;
        font-size: 0.875em;
      }
      .balance {
        font-weight: 600;
      }
      .big {
        font-size: 2em;
        font-weight: 700;
        line-height: 1.2;
      }
      .history {
        padding: 0;
        list-style: none;
      }
      .history > li {
        padding: 0.5em 0;
        border-bottom: 1px solid #eaeef2;
      }
      .field textarea {
        min-height: 4.5em;
      }
      fieldset {
        padding: 1em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
      }
      legend {
        padding: 0 0.25em;
        font-weight: 700;
      }
      .danger {
        border-color: #b42318;
        background: #b42318;
        color: #fff;
      }
      .ghost.danger {
        background: #fff;
        color: #b42318;
      }
      .confirm {
        padding: 1em;
        border: 2px solid #b42318;
        border-radius: var(--r);
      }
      .inline {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1.5em;
      }
      .inline label {
        display: inline-flex;
        align-items: center;
        gap: 0.5em;
        min-height: 44px;
      }
      input[type='radio'] {
        width: 1.25em;
        height: 1.25em;
      }
      a.btn {
        text-align: center;
        text-decoration: none;
        line-height: 2.4;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    query: { state: true },
  };

  /** The list as shown: the first page of the last search, then the pages loaded after it. */
  #items: CustomerSummary[] = [];
  #next: string | null = null;
  /** The search the list shows (the typed one may be newer, waiting for the debounce). */
  #shown = '';
  #timer?: ReturnType<typeof setTimeout>;
  /** The open customer's id; undefined: the list. */
  #open?: string;
  /** The row to focus when back on the list. */
  #returnTo?: string;
  /** A line announced on the list (after an erasure). */
  #notice = '';
  /** The adjustment form's fields and its own error. */
  #delta = '';
  #takeOff = false;
  #reason = '';
  #invalid: '' | 'delta' | 'reason' = '';
  /** The pending page is a "Load more" (not a new search). */
  #loadingMore = false;
  /** The erasure waits for a second, explicit click. */
  #confirming = false;

  /** Each search supersedes the one in flight; each page is merged only if it is still wanted. */
  #page = new Request(this, async (signal, q: string, after: string | null) => {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q) params.set('q', q);
    if (after) params.set('cursor', after);
    const page = await merchant<CustomersPage>(signal, 'GET', `customers?${params}`);
    if (!signal.aborted) {
      this.#items = after ? [...this.#items, ...page.customers] : page.customers;
      this.#next = page.nextCursor;
      this.#shown = q;
    }
    return page;
  });
  #detail = new Request(this, (signal, id: string) => merchant<CustomerDetail>(signal, 'GET', `customers/${encodeURIComponent(id)}`));
  #adjust = new Request(this, (signal, serial: string, body: { delta: number; reason: string }, key: string) =>
    merchant<AdjustAnswer>(signal, 'POST', `cards/${encodeURIComponent(serial)}/adjustments`, { body, key }),
  );
  #erase = new Request(this, (signal, id: string) => merchant<undefined>(signal, 'DELETE', `customers/${encodeURIComponent(id)}`));

  /** The search as typed. */
  protected query = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#page.status === 'idle') void this.#load(this.query, null);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  private get t(): CustomersText {
    return customersText(this.locale);
  }

  async #load(q: string, after: string | null): Promise<void> {
    this.#loadingMore = after !== null;
    await this.#page.run(q, after);
    this.checkSession(this.#page);
  }

  #typed(e: InputEvent): void {
    this.query = (e.target as HTMLInputElement).value;
    this.#notice = '';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#load(this.query.trim(), null), DEBOUNCE_MS);
  }

  /** Enter searches at once. */
  #submitSearch(e: SubmitEvent): void {
    e.preventDefault();
    clearTimeout(this.#timer);
    void this.#load(this.query.trim(), null);
  }

  #more(): void {
    if (this.#next && this.#page.status !== 'pending') void this.#load(this.#shown, this.#next);
  }

  async #openCustomer(id: string): Promise<void> {
    this.#open = this.#returnTo = id;
    this.#notice = this.#delta = this.#reason = this.#invalid = '';
    this.#takeOff = false;
    this.#confirming = false;
    this.#adjust.reset();
    this.#erase.reset();
    const loading = this.#detail.run(id);
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>('#back')?.focus();
    await loading;
    this.checkSession(this.#detail);
  }

  async #backToList(): Promise<void> {
    // The list shows the card as the page last saw it (after an adjustment).
    const seen = this.#detail.value;
    if (seen) this.#items = this.#items.map((c) => (c.id === seen.customer.id ? { ...c, card: seen.card } : c));
    this.#open = undefined;
    this.#detail.reset();
    await this.updateComplete;
    const row = this.#returnTo && this.shadowRoot?.querySelector<HTMLElement>(`.row[data-id="${this.#returnTo}"]`);
    (row || this.shadowRoot?.querySelector<HTMLElement>('#q'))?.focus();
  }

  async #submitAdjustment(e: SubmitEvent, d: CustomerDetail): Promise<void> {
    e.preventDefault();
    if (this.#adjust.status === 'pending') return;
    const delta = this.#deltaValue();
    const reason = this.#reason.trim();
    this.#invalid = delta === undefined ? 'delta' : reason.length === 0 || reason.length > 200 ? 'reason' : '';
    if (this.#invalid || delta === undefined) {
      this.#adjust.reset();
      await this.updateComplete;
      this.shadowRoot?.querySelector<HTMLElement>(`#${this.#invalid}`)?.focus();
      return;
    }
    // One key per attempt, drawn now: "Try again" sends the same key, so a lost answer never applies twice.
    await this.#adjust.run(d.card.serial, { delta, reason }, crypto.randomUUID());
    this.checkSession(this.#adjust);
    if (this.#adjust.status !== 'complete') return;
    this.#delta = this.#reason = '';
    this.#takeOff = false;
    // The new balance and the new history entry, without hiding the page meanwhile.
    void this.#detail.run(d.customer.id).then(() => this.checkSession(this.#detail));
  }

  async #askErase(): Promise<void> {
    this.#confirming = true;
    this.#erase.reset();
    this.requestUpdate();
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>('#erase-confirm')?.focus();
  }

  async #cancelErase(): Promise<void> {
    this.#confirming = false;
    this.#erase.reset();
    this.requestUpdate();
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>('#erase')?.focus();
  }

  async #confirmErase(d: CustomerDetail): Promise<void> {
    if (this.#erase.status === 'pending') return;
    await this.#erase.run(d.customer.id);
    this.checkSession(this.#erase);
    if (this.#erase.status !== 'complete') return;
    this.#items = this.#items.filter((c) => c.id !== d.customer.id);
    this.#returnTo = undefined;
    this.#confirming = false;
    await this.#backToList();
    this.#notice = this.t.erased(d.customer.name);
    this.requestUpdate();
  }

  /**
   * The adjustment in the program's unit (cashback: minor units), signed by "Add" / "Take off"
   * (a phone's number pad has no minus key); undefined unless a whole amount above 0.
   */
  #deltaValue(): number | undefined {
    const raw = this.#delta.trim().replace(/\s/g, '').replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(raw)) return undefined;
    const n = Number(raw);
    const value = this.#cashback ? Math.round(n * 10 ** this.#digits) : n;
    if (!Number.isSafeInteger(value) || value === 0) return undefined;
    return this.#takeOff ? -value : value;
  }

  get #type() {
    return this.program?.type ?? 'stamps';
  }

  get #cashback(): boolean {
    return this.#type === 'cashback';
  }

  get #money(): Intl.NumberFormat {
    return new Intl.NumberFormat(this.locale, { style: 'currency', currency: this.program?.currency ?? 'EUR' });
  }

  get #digits(): number {
    return this.#money.resolvedOptions().maximumFractionDigits ?? 2;
  }

  #amount(minor: number, sign = false): string {
    const f = sign
      ? new Intl.NumberFormat(this.locale, { style: 'currency', currency: this.program?.currency ?? 'EUR', signDisplay: 'exceptZero' })
      : this.#money;
    return f.format(minor / 10 ** this.#digits);
  }

  #points(n: number, sign = false): string {
    return this.t.points(new Intl.NumberFormat(this.locale, { signDisplay: sign ? 'exceptZero' : 'auto' }).format(n), Math.abs(n));
  }

  #stamps(n: number, sign = false): string {
    return this.t.stamps(new Intl.NumberFormat(this.locale, { signDisplay: sign ? 'exceptZero' : 'auto' }).format(n), Math.abs(n));
  }

  /** The card's state in one line: "7 / 10", points and tier, or the cashback balance. */
  #balance(card: CustomerCard): string {
    const t = this.t;
    switch (this.#type) {
      case 'stamps': {
        const parts = [`${card.stamps} / ${this.program?.stampsRequired ?? 10}`];
        if (card.rewardsAvailable > 0) parts.push(t.rewards(card.rewardsAvailable));
        return parts.join(' · ');
      }
      case 'cashback':
        return t.cashback(this.#amount(card.cashbackBalance));
      default:
        return card.tier ? `${this.#points(card.points)} · ${t.tier(card.tier)}` : this.#points(card.points);
    }
  }

  #date(iso: string, time = false): string {
    return new Intl.DateTimeFormat(this.locale, time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' }).format(
      new Date(iso),
    );
  }

  /** What an entry did: "Adjustment: +3 stamps", "Purchase: €12.50 · +12 points". */
  #what(e: HistoryEntry): string {
    const t = this.t;
    const parts: string[] = [];
    if (e.stamps && e.kind !== 'reward_earned') parts.push(this.#stamps(e.stamps, true));
    if (e.kind === 'reward_earned' && e.rewards > 1) parts.push(`×${e.rewards}`);
    if (e.points) parts.push(this.#points(e.points, true));
    if (e.cashback) parts.push(this.#amount(e.cashback, true));
    if (e.amount && e.amount > 0) {
      if (e.kind === 'purchase') parts.unshift(this.#amount(e.amount));
      else parts.push(t.spent(this.#amount(e.amount)));
    }
    if (e.kind === 'redemption') {
      const reward =
        this.program?.rewards.find((r) => r.id === e.rewardId)?.name ?? (this.#type === 'stamps' ? this.program?.reward.name : undefined);
      if (reward) parts.unshift(reward);
    }
    const kind = t.kinds[e.kind] ?? e.kind;
    return parts.length ? t.entry(kind, parts.join(' · ')) : kind;
  }

  /** Who wrote an entry: a staff member's email or an API key's name; the bonuses nobody typed are automatic. */
  #who(e: HistoryEntry): string {
    const t = this.t;
    if (e.actor === null) return t.automatic;
    return t.by(e.actorName ?? t.goneActor);
  }

  /** A failed request: the server's words where they help. */
  #failure(r: RequestState<unknown>) {
    const t = this.t;
    const p = this.problem(r);
    const s = p?.status;
    const text =
      s === 403
        ? t.forbidden
        : s === 404
          ? t.gone
          : p?.code === 'insufficient_balance'
            ? t.insufficient
            : s === 400 || s === 409
              ? t.rejected(p?.detail || this.m.failed)
              : undefined;
    return this.failure(r, text);
  }

  // Rendering

  #row(c: CustomerSummary): TemplateResult {
    return html`<li>
      <button class="row" type="button" data-id=${c.id} @click=${() => this.#openCustomer(c.id)}>
        <strong>${c.name}</strong>
        <span class="meta">${c.email}</span>
        <span class="balance">${this.#balance(c.card)}</span>
      </button>
    </li>`;
  }

  #list(): TemplateResult {
    const t = this.t;
    const m = this.m;
    const p = this.#page;
    const searching = p.status === 'pending' && !this.#loadingMore && this.#items.length > 0;
    let body: TemplateResult | typeof nothing = nothing;
    if (p.status === 'error' && !this.#items.length) body = this.#failure(p);
    else if ((p.status === 'pending' || p.status === 'idle') && !this.#items.length)
      body = html`<p class="state" role="status">${m.loading}</p>`;
    else if (!this.#items.length) body = html`<p class="state">${this.#shown ? t.noMatch(this.#shown) : t.none}</p>`;
    else
      body = html`<ul class="list" aria-label=${t.results} aria-busy=${p.status === 'pending'}>
        ${this.#items.map((c) => this.#row(c))}
      </ul>`;
    return html`<div class="stack">
      <h2>${t.title}</h2>
      <form role="search" @submit=${this.#submitSearch}>
        <div class="field">
          <label for="q">${t.search}</label>
          <input id="q" type="search" autocomplete="off" aria-describedby="q-hint" .value=${this.query} @input=${this.#typed} />
          <p class="hint" id="q-hint">${t.searchHint}</p>
        </div>
      </form>
      ${this.#notice ? html`<p class="alert ok" role="status">${this.#notice}</p>` : nothing}
      <p role="status" class="hint">${searching ? t.searching : nothing}</p>
      ${body} ${p.status === 'error' && this.#items.length ? this.#failure(p) : nothing}
      ${
        this.#next && this.#items.length
          ? html`<button class="btn ghost" type="button" aria-disabled=${p.status === 'pending'} @click=${this.#more}>
              ${p.status === 'pending' && this.#loadingMore ? t.loadingMore : t.loadMore}
            </button>`
          : nothing
      }
      ${this.owner ? html`<a class="btn ghost" href="/api/merchant/export/customers.csv" download="customers.csv">${t.export}</a>` : nothing}
    </div>`;
  }

  #adjustForm(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const a = this.#adjust;
    const busy = a.status === 'pending';
    const q = t.quantity;
    const label = this.#cashback ? q.cashback(this.program?.currency ?? 'EUR') : this.#type === 'stamps' ? q.stamps : q.points;
    const invalid = this.#invalid === 'reason' ? t.badReason : this.#cashback ? t.badAmount(this.#amount(250)) : t.badDelta;
    const direction = (takeOff: boolean) => () => {
      this.#takeOff = takeOff;
      this.requestUpdate();
    };
    return html`<form novalidate @submit=${(e: SubmitEvent) => this.#submitAdjustment(e, d)}>
      <fieldset class="stack">
        <legend>${t.adjustTitle}</legend>
        <p class="hint">${t.adjustIntro}</p>
        <fieldset class="inline">
          <legend>${t.direction}</legend>
          <label><input type="radio" name="direction" .checked=${!this.#takeOff} @change=${direction(false)} /> ${t.add}</label>
          <label><input type="radio" name="direction" .checked=${this.#takeOff} @change=${direction(true)} /> ${t.takeOff}</label>
        </fieldset>
        <div class="field">
          <label for="delta">${label}</label>
          <input
            id="delta"
            inputmode=${this.#cashback ? 'decimal' : 'numeric'}
            autocomplete="off"
            aria-invalid=${this.#invalid === 'delta' ? 'true' : 'false'}
            .value=${this.#delta}
            @input=${(e: InputEvent) => (this.#delta = (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="reason">${t.reasonLabel}</label>
          <textarea
            id="reason"
            maxlength="200"
            aria-describedby="reason-hint"
            aria-invalid=${this.#invalid === 'reason' ? 'true' : 'false'}
            .value=${this.#reason}
            @input=${(e: InputEvent) => (this.#reason = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <p class="hint" id="reason-hint">${t.reasonHint}</p>
        </div>
        ${this.#invalid ? html`<p class="alert" role="alert">${invalid}</p>` : nothing} ${a.status === 'error' ? this.#failure(a) : nothing}
        ${
          a.status === 'complete'
            ? html`<p class="alert ok" role="status">${t.applied} ${a.value?.rewardsEarned ? t.rewardEarned : ''}</p>`
            : nothing
        }
        <button class="btn" type="submit" aria-disabled=${busy}>${busy ? t.applying : t.apply}</button>
      </fieldset>
    </form>`;
  }

  #eraseBlock(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const r = this.#erase;
    const busy = r.status === 'pending';
    if (!this.#confirming)
      return html`<button id="erase" class="btn ghost danger" type="button" @click=${this.#askErase}>${t.erase}</button>`;
    return html`<div class="confirm stack" role="group" aria-labelledby="erase-question" aria-describedby="erase-warning">
      <p id="erase-question"><strong>${t.eraseQuestion(d.customer.name)}</strong></p>
      <p id="erase-warning">${t.eraseWarning}</p>
      ${r.status === 'error' ? this.#failure(r) : nothing} ${busy ? html`<p role="status">${t.erasing}</p>` : nothing}
      <div class="inline">
        <button id="erase-confirm" class="btn small danger" type="button" aria-disabled=${busy} @click=${() => this.#confirmErase(d)}>
          ${t.eraseConfirm(d.customer.name)}
        </button>
        <button class="btn small ghost" type="button" aria-disabled=${busy} @click=${() => !busy && this.#cancelErase()}>
          ${t.cancel}
        </button>
      </div>
    </div>`;
  }

  #customer(): TemplateResult {
    const t = this.t;
    const r = this.#detail;
    // While the page refreshes after an adjustment, the page as it was stays on screen.
    const d = r.value?.customer.id === this.#open ? r.value : undefined;
    let body: TemplateResult;
    if (r.status === 'error') body = this.#failure(r);
    else if (!d) body = html`<p class="state" role="status">${this.m.loading}</p>`;
    else
      body = html`<section class="stack" aria-labelledby="name">
        <div>
          <h2 id="name">${d.customer.name}</h2>
          <p class="who">${d.customer.email}${d.customer.phone ? html` · ${d.customer.phone}` : nothing}</p>
          <p class="meta">${t.joined(this.#date(d.customer.createdAt))}</p>
        </div>
        <div class="card" aria-label=${t.card} role="group">
          <p class="big">${this.#balance(d.card)}</p>
        </div>
        ${this.owner ? this.#adjustForm(d) : nothing}
        <h3>${t.history}</h3>
        ${
          d.history.length
            ? html`<ol class="history">
                  ${d.history.map(
                    (e) =>
                      html`<li>
                        <p class="meta"><time datetime=${e.at}>${this.#date(e.at, true)}</time></p>
                        <p><strong>${this.#what(e)}</strong></p>
                        ${e.reason ? html`<p>${t.reason(e.reason)}</p>` : nothing}
                        <p class="meta who">${this.#who(e)}</p>
                      </li>`,
                  )}
                </ol>
                ${d.history.length >= HISTORY_CAP ? html`<p class="hint">${t.historyCap(HISTORY_CAP)}</p>` : nothing}`
            : html`<p class="state">${t.noHistory}</p>`
        }
        ${this.owner ? this.#eraseBlock(d) : nothing}
      </section>`;
    return html`<div class="stack">
      <button id="back" class="btn ghost small" type="button" @click=${this.#backToList}>← ${t.back}</button>
      ${body}
    </div>`;
  }

  override render() {
    return this.#open ? this.#customer() : this.#list();
  }
}

define('fd-customers', FdCustomers);

declare global {
  interface HTMLElementTagNameMap {
    'fd-customers': FdCustomers;
  }
}
