import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { CustomerCard, CustomersPage, CustomerSummary } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { field } from '../field.ts';
import { customerStyles } from './customer-detail.ts';
import { balance, customersText, type CustomersText, refusal } from './customers-i18n.ts';

/** Customers per page of the list. */
const PAGE = 20;
/** Milliseconds of quiet typing before the search goes out. */
const DEBOUNCE_MS = 300;

/**
 * The Customers screen: search the merchant's customers by name or email (as you type, each
 * search superseding the last), page through them, and open one (`<fd-customer>`,
 * `customer-detail.ts`: the card, the history, and for the owner the adjustment and the
 * erasure). The owner also exports every customer as CSV. Staff see the list and the pages
 * only; the server refuses them the rest anyway (403).
 *
 * One customer opens inside the screen (the shell routes screens, not customers); "Back to
 * the list" returns to the list where it was, focus on the customer's row.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdCustomers extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    customerStyles,
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
      .row span {
        overflow-wrap: anywhere;
      }
      .meta {
        color: #57606a;
        font-size: 0.875em;
      }
      .balance {
        font-weight: 600;
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
  /** The pending page is a "Load more" (not a new search). */
  #loadingMore = false;

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

  /** Opens a customer's page in place of the list. */
  #openCustomer(id: string): void {
    this.#open = this.#returnTo = id;
    this.#notice = '';
    this.requestUpdate();
  }

  /** Back from a customer's page: the list shows their card as the page last saw it (after an adjustment). */
  async #backToList(card?: CustomerCard): Promise<void> {
    if (card) this.#items = this.#items.map((c) => (c.id === this.#open ? { ...c, card } : c));
    this.#open = undefined;
    this.requestUpdate();
    await this.updateComplete;
    const row = this.#returnTo && this.shadowRoot?.querySelector<HTMLElement>(`.row[data-id="${this.#returnTo}"]`);
    (row || this.shadowRoot?.querySelector<HTMLElement>('#q'))?.focus();
  }

  /** The open customer was erased: back to the list without them, and say so. */
  async #erased(e: CustomEvent<{ id: string; name: string }>): Promise<void> {
    this.#items = this.#items.filter((c) => c.id !== e.detail.id);
    this.#returnTo = undefined;
    await this.#backToList();
    this.#notice = this.t.erased(e.detail.name);
    this.requestUpdate();
  }

  /** The screen is up to date once the open customer's page is too. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.renderRoot.querySelector('fd-customer')?.updateComplete;
    return done;
  }

  /** A failed request: the server's words where they help. */
  #failure(r: RequestState<unknown>) {
    return this.failure(r, refusal(this.t, this.problem(r), this.m.failed));
  }

  // Rendering

  #row(c: CustomerSummary): TemplateResult {
    return html`<li>
      <button class="row" type="button" data-id=${c.id} @click=${() => this.#openCustomer(c.id)}>
        <strong>${c.name}</strong>
        <span class="meta">${c.email}</span>
        <span class="balance">${balance(c.card, this.program, this.locale)}</span>
      </button>
    </li>`;
  }

  #list(): TemplateResult {
    const t = this.t;
    const m = this.m;
    const p = this.#page;
    const searching = p.status === 'pending' && !this.#loadingMore && this.#items.length > 0;
    let body: TemplateResult;
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
        ${field(
          'q',
          t.search,
          (w) =>
            html`<input
              id=${w.id}
              type="search"
              autocomplete="off"
              aria-describedby=${w.describedBy}
              .value=${this.query}
              @input=${this.#typed}
            />`,
          { hint: t.searchHint },
        )}
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
      ${this.owner ? this.#exportLink(t) : nothing}
    </div>`;
  }

  /**
   * The CSV export as a plain download. In French, the file Excel set to French opens in columns:
   * `;` between fields (its list separator, since `,` is the decimal comma), French headers, local
   * times and amounts with a decimal comma.
   */
  #exportLink(t: CustomersText): TemplateResult {
    const [query, file] = this.locale === 'fr' ? ['?delimiter=semicolon&lang=fr', 'clients.csv'] : ['', 'customers.csv'];
    return html`<a class="btn ghost" href="/api/merchant/export/customers.csv${query}" download=${file}>${t.export}</a>`;
  }

  #customer(): TemplateResult {
    return html`<fd-customer
      lang=${this.locale}
      .timeout=${this.timeout}
      .program=${this.program}
      .me=${this.me}
      .customerId=${this.#open}
      @fd-customer-back=${(e: CustomEvent<CustomerCard | undefined>) => this.#backToList(e.detail)}
      @fd-customer-erased=${this.#erased}
    ></fd-customer>`;
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
