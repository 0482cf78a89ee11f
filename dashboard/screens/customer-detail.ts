// One customer's page: the card, its history, the owner's correction and erasure, the data
// export, what reached the phones and the consent log. Over 450 lines: each section is a few
// lines over the one detail the page loads (the strings are in customers-i18n.ts); the delivery
// and consent logs, which load on their own, are the seam to split along next.
import { css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type {
  AdjustAnswer,
  ConsentEvent,
  ConsentLog,
  CustomerCard,
  CustomerDetail,
  Deliveries,
  DeliveryInfo,
  HistoryEntry,
} from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { currencyDigits, formatMoney, parseMoney } from '../../common/money.ts';
import { parseNumber } from '../../common/numbers.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant, merchantFile } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { field } from '../field.ts';
import { balance, count, customersText, type CustomersText, refusal } from './customers-i18n.ts';

/** The server sends at most this many history entries. */
const HISTORY_CAP = 200;

/** What fidelio itself writes on the ledger (`system:<name>`), by name where the owner should know it. */
const systemActors = localize({ referral: ['Referral', 'Parrainage'] });

/**
 * The styles of a customer's page, part of the Customers screen's (`<fd-customer>` has no shadow
 * root of its own); it also uses the screen's `.meta`.
 */
export const customerStyles = css`
  fd-customer {
    display: block;
  }
  .who {
    overflow-wrap: anywhere;
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
  /* The pass updates: a table that scrolls sideways on a phone rather than squeezing its columns. */
  .scroll {
    overflow-x: auto;
    border: 1px solid #d0d7de;
    border-radius: var(--r);
  }
  .deliveries {
    width: 100%;
    min-width: 34em;
    border-collapse: collapse;
    font-size: 0.875em;
  }
  .deliveries th,
  .deliveries td {
    padding: 0.5em 0.75em;
    border-bottom: 1px solid #eaeef2;
    text-align: start;
    vertical-align: top;
  }
  .deliveries tr:last-child td {
    border-bottom: 0;
  }
  .deliveries code {
    display: block;
    color: #57606a;
    overflow-wrap: anywhere;
  }
  .consent {
    padding-left: 1.25em;
  }
  .consent > li + li {
    margin-top: 0.5em;
  }
  .owner-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75em;
    align-items: flex-start;
  }
`;

/**
 * One customer's page in the Customers screen (`<fd-customers>` opens it from its list): the
 * card, the join date and the history (each entry's date, what happened and who did it), all
 * formatted in the user's language and the program's currency. The owner also adjusts the card
 * by hand with a reason (an `Idempotency-Key` drawn per attempt, sent again by its retry) and
 * erases the customer (GDPR) after a confirmation that names them, or downloads all their data as
 * JSON (`customer-<id>.json`); staff see the page only. Both see the pass updates (what was sent
 * to the phones holding the card, and whether an iPhone fetched it) and the consent log.
 *
 * It renders into the screen's shadow root, not a shadow root of its own: the page is part of
 * the screen (its styles, ids and focus), the element only keeps its state and requests apart.
 *
 * @event fd-customer-back - "Back to the list"; the detail is the card as last shown (after an adjustment), if it loaded.
 * @event fd-customer-erased - the customer was erased; the detail is their id and name.
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdCustomer extends ScreenElement {
  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    customerId: { attribute: false },
  };

  /** The adjustment form's fields and its own error. */
  #delta = '';
  #takeOff = false;
  #reason = '';
  #invalid: '' | 'delta' | 'reason' = '';
  /** The erasure waits for a second, explicit click. */
  #confirming = false;

  #detail = new Request(this, (signal, id: string) => merchant<CustomerDetail>(signal, 'GET', `customers/${encodeURIComponent(id)}`));
  #adjust = new Request(this, (signal, serial: string, body: { delta: number; reason: string }, key: string) =>
    merchant<AdjustAnswer>(signal, 'POST', `cards/${encodeURIComponent(serial)}/adjustments`, { body, key }),
  );
  #erase = new Request(this, (signal, id: string) => merchant<undefined>(signal, 'DELETE', `customers/${encodeURIComponent(id)}`));
  /** Each answer is kept with whose it is: while the page refreshes, the last one stays on screen. */
  #deliveries = new Request(this, async (signal, serial: string) => ({
    serial,
    ...(await merchant<Deliveries>(signal, 'GET', `cards/${encodeURIComponent(serial)}/deliveries`)),
  }));
  #consent = new Request(this, async (signal, id: string) => ({
    id,
    ...(await merchant<ConsentLog>(signal, 'GET', `customers/${encodeURIComponent(id)}/consent`)),
  }));
  /** The customer's data as a file, saved as `customer-<id>.json` once it is here. */
  #export = new Request(this, async (signal, id: string) => {
    const blob = await merchantFile(signal, `customers/${encodeURIComponent(id)}/export`, 'application/json');
    save(blob, `customer-${id}.json`);
  });

  /** The customer's id. */
  customerId = '';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.#load();
  }

  protected override firstUpdated(): void {
    this.querySelector<HTMLElement>('#back')?.focus();
  }

  private get t(): CustomersText {
    return customersText(this.locale);
  }

  async #load(): Promise<void> {
    const consent = this.#loadConsent();
    await this.#detail.run(this.customerId);
    this.checkSession(this.#detail);
    const serial = this.#detail.status === 'complete' ? this.#detail.value?.card.serial : undefined;
    if (serial) await this.#deliveries.run(serial);
    this.checkSession(this.#deliveries);
    await consent;
  }

  async #loadConsent(): Promise<void> {
    await this.#consent.run(this.customerId);
    this.checkSession(this.#consent);
  }

  async #download(id: string): Promise<void> {
    if (this.#export.status === 'pending') return;
    await this.#export.run(id);
    this.checkSession(this.#export);
  }

  /** Back to the list, with the card as this page last showed it. */
  #back(): void {
    this.emit('fd-customer-back', this.#detail.value?.card);
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
      this.querySelector<HTMLElement>(`#${this.#invalid}`)?.focus();
      return;
    }
    // One key per attempt, drawn now: "Try again" sends the same key, so a lost answer never applies twice.
    await this.#adjust.run(d.card.serial, { delta, reason }, crypto.randomUUID());
    this.checkSession(this.#adjust);
    if (this.#adjust.status !== 'complete') return;
    this.#delta = this.#reason = '';
    this.#takeOff = false;
    // The new balance, the new history entry and the pass update it sent, without hiding the page meanwhile.
    void this.#load();
  }

  async #askErase(): Promise<void> {
    this.#confirming = true;
    this.#erase.reset();
    this.requestUpdate();
    await this.updateComplete;
    this.querySelector<HTMLElement>('#erase-confirm')?.focus();
  }

  async #cancelErase(): Promise<void> {
    this.#confirming = false;
    this.#erase.reset();
    this.requestUpdate();
    await this.updateComplete;
    this.querySelector<HTMLElement>('#erase')?.focus();
  }

  async #confirmErase(d: CustomerDetail): Promise<void> {
    if (this.#erase.status === 'pending') return;
    await this.#erase.run(d.customer.id);
    this.checkSession(this.#erase);
    if (this.#erase.status !== 'complete') return;
    this.#confirming = false;
    this.emit('fd-customer-erased', { id: d.customer.id, name: d.customer.name });
  }

  /**
   * The adjustment in the program's unit (cashback: minor units), signed by "Add" / "Take off"
   * (a phone's number pad has no minus key); undefined unless a whole amount above 0.
   */
  #deltaValue(): number | undefined {
    const typed = this.#delta.replace(/\s/g, '');
    const value = this.#cashback ? parseMoney(typed, currencyDigits(this.#currency)) : parseNumber(typed);
    if (value === undefined || !Number.isSafeInteger(value) || value === 0) return undefined;
    return this.#takeOff ? -value : value;
  }

  get #type() {
    return this.program?.type ?? 'stamps';
  }

  get #cashback(): boolean {
    return this.#type === 'cashback';
  }

  get #currency(): string {
    return this.program?.currency ?? 'EUR';
  }

  #amount(minor: number, sign = false): string {
    return formatMoney(minor, this.#currency, this.locale, sign);
  }

  #date(iso: string, time = false): string {
    return new Intl.DateTimeFormat(this.locale, time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' }).format(
      new Date(iso),
    );
  }

  /** What an entry did: "Adjustment: +3 stamps", "Purchase: €12.50 · +12 points". */
  #what(e: HistoryEntry): string {
    const t = this.t;
    const signed = (n: number) => count(this.locale, n, true);
    const parts: string[] = [];
    if (e.stamps && e.kind !== 'reward_earned') parts.push(t.stamps(signed(e.stamps), Math.abs(e.stamps)));
    if (e.kind === 'reward_earned' && e.rewards > 1) parts.push(`×${e.rewards}`);
    if (e.points) parts.push(t.points(signed(e.points), Math.abs(e.points)));
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

  /**
   * Who wrote an entry: a staff member's email or an API key's name; the bonuses nobody typed are
   * automatic, and so is what fidelio itself wrote (`system:*`), a referral's bonus by that name.
   */
  #who(e: HistoryEntry): string {
    const t = this.t;
    if (e.actor === null) return t.automatic;
    if (e.actor.startsWith('system:')) return e.actor === 'system:referral' ? systemActors(this.locale).referral : t.automatic;
    return t.by(e.actorName ?? t.goneActor);
  }

  /** A failed request: the server's words where they help. */
  #failure(r: RequestState<unknown>) {
    return this.failure(r, refusal(this.t, this.problem(r), this.m.failed));
  }

  // Rendering

  #adjustForm(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const a = this.#adjust;
    const busy = a.status === 'pending';
    const q = t.quantity;
    const label = this.#cashback ? q.cashback(this.#currency) : this.#type === 'stamps' ? q.stamps : q.points;
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
        ${field(
          'delta',
          label,
          (w) =>
            html`<input
              id=${w.id}
              inputmode=${this.#cashback ? 'decimal' : 'numeric'}
              autocomplete="off"
              aria-invalid=${w.invalid}
              .value=${this.#delta}
              @input=${(e: InputEvent) => (this.#delta = (e.target as HTMLInputElement).value)}
            />`,
          { invalid: this.#invalid === 'delta' },
        )}
        ${field(
          'reason',
          t.reasonLabel,
          (w) =>
            html`<textarea
              id=${w.id}
              maxlength="200"
              aria-describedby=${w.describedBy}
              aria-invalid=${w.invalid}
              .value=${this.#reason}
              @input=${(e: InputEvent) => (this.#reason = (e.target as HTMLTextAreaElement).value)}
            ></textarea>`,
          { hint: t.reasonHint, invalid: this.#invalid === 'reason' },
        )}
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

  /** Who gave or withdrew consent: the customer, the business (an owner's import), an import. */
  #consentBy(by: string): string {
    const b = this.t.consentBy;
    if (by === 'customer') return b.customer;
    if (by === 'import') return b.import;
    if (by.startsWith('user:')) return b.user;
    return b.other(by);
  }

  /** "Marketing e-mails: given by the customer on the join page, Dec 3, 2026, 2:02 PM". */
  #consentLine(e: ConsentEvent): string {
    const t = this.t;
    const source = t.consentSources[e.source] ?? (e.source ? `(${e.source})` : '');
    return t.consentLine(t.consentKinds[e.kind], t.consentActions[e.action], this.#consentBy(e.by), source, this.#date(e.at, true));
  }

  #consentBlock(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const r = this.#consent;
    const v = r.value?.id === d.customer.id ? r.value : undefined;
    let body: TemplateResult;
    if (r.status === 'error') body = this.#failure(r);
    else if (!v) body = html`<p class="state" role="status">${this.m.loading}</p>`;
    else if (!v.consent.length) body = html`<p class="hint">${t.noConsent}</p>`;
    else
      body = html`<ul class="consent">
        ${v.consent.map((e) => html`<li data-kind=${e.kind}>${this.#consentLine(e)}</li>`)}
      </ul>`;
    return html`<section class="stack" aria-labelledby="consent-title">
      <h3 id="consent-title">${t.consent}</h3>
      ${body}
    </section>`;
  }

  #delivery(d: DeliveryInfo): TemplateResult {
    const t = this.t;
    const time = (iso: string) => html`<time datetime=${iso}>${this.#date(iso, true)}</time>`;
    const apple = d.channel === 'apns';
    return html`<tr data-channel=${d.channel} data-status=${d.status}>
      <td>${t.channels[d.channel]}<code>${d.target}</code></td>
      <td>${time(d.queuedAt)}</td>
      <td>${d.sentAt ? time(d.sentAt) : t.notSent}</td>
      <td>
        <strong>${t.deliveryStatus[d.status]}</strong>${d.answer ? html` · ${d.answer}` : nothing}
        ${
          apple
            ? html`<br /><span class="fetched">${d.fetchedAt ? t.fetched(this.#date(d.fetchedAt, true)) : t.notFetched}</span>`
            : nothing
        }
      </td>
    </tr>`;
  }

  #deliveriesBlock(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const r = this.#deliveries;
    const v = r.value?.serial === d.card.serial ? r.value : undefined;
    let body: TemplateResult;
    if (r.status === 'error') body = this.#failure(r);
    else if (!v) body = html`<p class="state" role="status">${this.m.loading}</p>`;
    else if (!v.deliveries.length) body = html`<p class="hint">${t.noUpdates}</p>`;
    else
      body = html`<div class="scroll" role="region" aria-label=${t.updatesTable} tabindex="0">
        <table class="deliveries">
          <caption class="hint">
            ${t.updatesIntro}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.phone}</th>
              <th scope="col">${t.queued}</th>
              <th scope="col">${t.sent}</th>
              <th scope="col">${t.answer}</th>
            </tr>
          </thead>
          <tbody>
            ${v.deliveries.map((x) => this.#delivery(x))}
          </tbody>
        </table>
      </div>`;
    return html`<section class="stack" aria-labelledby="updates-title">
      <h3 id="updates-title">${t.updates}</h3>
      ${body}
    </section>`;
  }

  /** The owner's buttons at the foot of the page: download the person's data, erase them. */
  #ownerActions(d: CustomerDetail): TemplateResult {
    const t = this.t;
    const x = this.#export;
    const busy = x.status === 'pending';
    return html`<div class="stack">
      <div class="owner-actions">
        <button id="export" class="btn ghost small" type="button" aria-disabled=${busy} @click=${() => this.#download(d.customer.id)}>
          ${busy ? t.exporting : t.exportData}
        </button>
        ${this.#confirming ? nothing : this.#eraseBlock(d)}
      </div>
      <div role="status">${x.status === 'complete' ? html`<p class="alert ok">${t.exported}</p>` : nothing}</div>
      ${x.status === 'error' ? this.#failure(x) : nothing} ${this.#confirming ? this.#eraseBlock(d) : nothing}
    </div>`;
  }

  #history(history: HistoryEntry[]): TemplateResult {
    const t = this.t;
    if (!history.length) return html`<p class="state">${t.noHistory}</p>`;
    return html`<ol class="history">
        ${history.map(
          (e) =>
            html`<li>
              <p class="meta"><time datetime=${e.at}>${this.#date(e.at, true)}</time></p>
              <p><strong>${this.#what(e)}</strong></p>
              ${e.reason ? html`<p>${t.reason(e.reason)}</p>` : nothing}
              <p class="meta who">${this.#who(e)}</p>
            </li>`,
        )}
      </ol>
      ${history.length >= HISTORY_CAP ? html`<p class="hint">${t.historyCap(HISTORY_CAP)}</p>` : nothing}`;
  }

  override render() {
    const t = this.t;
    const r = this.#detail;
    // While the page refreshes after an adjustment, the page as it was stays on screen.
    const d = r.value?.customer.id === this.customerId ? r.value : undefined;
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
          <p class="big">${balance(d.card, this.program, this.locale)}</p>
        </div>
        ${this.owner ? this.#adjustForm(d) : nothing}
        <h3>${t.history}</h3>
        ${this.#history(d.history)} ${this.#deliveriesBlock(d)} ${this.#consentBlock(d)} ${this.owner ? this.#ownerActions(d) : nothing}
      </section>`;
    return html`<div class="stack">
      <button id="back" class="btn ghost small" type="button" @click=${this.#back}>← ${t.back}</button>
      ${body}
    </div>`;
  }
}

/** Saves a file the browser holds as a download named `name`. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click's task: the download has its own reference to the blob by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

define('fd-customer', FdCustomer);

declare global {
  interface HTMLElementTagNameMap {
    'fd-customer': FdCustomer;
  }
  interface GlobalEventHandlersEventMap {
    'fd-customer-back': CustomEvent<CustomerCard | undefined>;
    'fd-customer-erased': CustomEvent<{ id: string; name: string }>;
  }
}
