import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { NewWebhook, WebhookDeliveries, WebhookDelivery, WebhookEventType, WebhookInfo, Webhooks } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant, type MerchantProblem } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { edited, errorLine, field } from '../field.ts';

/** What each event means, in plain words (the server's list: `WEBHOOK_EVENTS`). */
const eventNames = localize({
  'member.joined': ['Someone joins the program', 'Quelqu’un rejoint le programme'],
  'card.stamped': ['A card gets a stamp', 'Une carte reçoit un tampon'],
  'card.purchased': ['A purchase is recorded', 'Un achat est enregistré'],
  'reward.earned': ['A member earns a reward', 'Un membre gagne une récompense'],
  'reward.redeemed': ['A reward is used', 'Une récompense est utilisée'],
  'reward.redemption_undone': ['A reward used by mistake is given back', 'Une récompense utilisée par erreur est rendue'],
  'review.created': ['A review is left', 'Un avis est déposé'],
} satisfies Record<WebhookEventType, [string, string]>);

const EVENTS = Object.keys(eventNames('en')) as WebhookEventType[];

const strings = localize({
  title: ['Webhooks', 'Webhooks'],
  intro: [
    'A webhook tells another system (your till, a CRM, an automation) what happens in the program: fidelio sends it a POST request with the event as JSON.',
    'Un webhook prévient un autre logiciel (votre caisse, un CRM, une automatisation) de ce qui se passe dans le programme : fidelio lui envoie une requête POST avec l’événement en JSON.',
  ],
  list: ['Your webhooks', 'Vos webhooks'],
  none: ['No webhook yet.', 'Aucun webhook pour l’instant.'],
  added: [(d: string) => `Added ${d}`, (d: string) => `Ajouté le ${d}`],
  counts: [
    (ok: number, ko: number) => `last 30 days: ${ok} delivered, ${ko} failing`,
    (ok: number, ko: number) => `30 derniers jours : ${ok} ${ok < 2 ? 'envoi réussi' : 'envois réussis'}, ${ko} en échec`,
  ],
  deliveries: ['Deliveries', 'Envois'],
  deliveriesOf: [(url: string) => `Deliveries to ${url}`, (url: string) => `Envois vers ${url}`],
  noDeliveries: ['Nothing sent yet.', 'Rien d’envoyé pour l’instant.'],
  delivered: [(d: string) => `Delivered ${d}`, (d: string) => `Livré le ${d}`],
  pending: ['On its way', 'En cours d’envoi'],
  pendingNext: [(d: string) => `Waiting: next try ${d}`, (d: string) => `En attente : prochain essai le ${d}`],
  failed: ['Failed: given up', 'Échec : abandonné'],
  attempts: ['Attempts', 'Essais'],
  noAttempt: ['Not tried yet.', 'Pas encore essayé.'],
  httpStatus: [(n: number) => `HTTP ${n}`, (n: number) => `HTTP ${n}`],
  noAnswer: ['no answer', 'pas de réponse'],
  ms: [(n: number) => `${n} ms`, (n: number) => `${n} ms`],
  sendAgain: ['Send again', 'Renvoyer'],
  sendAgainWhat: [(what: string, d: string) => `Send again: ${what}, ${d}`, (what: string, d: string) => `Renvoyer : ${what}, ${d}`],
  sendingAgain: ['Sending…', 'Envoi…'],
  sentAgain: ['Sent again: it is on its way.', 'Renvoyé : en cours d’envoi.'],
  remove: ['Delete', 'Supprimer'],
  removeWhich: [(url: string) => `Delete the webhook to ${url}`, (url: string) => `Supprimer le webhook vers ${url}`],
  confirmRemove: [
    (url: string) => `Delete the webhook to ${url}? Nothing more will be sent there.`,
    (url: string) => `Supprimer le webhook vers ${url} ? Plus rien n’y sera envoyé.`,
  ],
  confirm: ['Yes, delete', 'Oui, supprimer'],
  cancel: ['Cancel', 'Annuler'],
  removing: ['Deleting…', 'Suppression…'],
  removed: [(url: string) => `The webhook to ${url} was deleted.`, (url: string) => `Le webhook vers ${url} a été supprimé.`],
  addTitle: ['Add a webhook', 'Ajouter un webhook'],
  url: ['Address (URL)', 'Adresse (URL)'],
  urlHint: [
    'A public https:// address, for example https://till.example.com/fidelio.',
    'Une adresse https:// publique, par exemple https://caisse.exemple.fr/fidelio.',
  ],
  events: ['Events to send', 'Événements à envoyer'],
  noEvent: ['Choose at least one event.', 'Choisissez au moins un événement.'],
  add: ['Add the webhook', 'Ajouter le webhook'],
  adding: ['Adding…', 'Ajout…'],
  badFields: ['Check the fields marked.', 'Vérifiez les champs signalés.'],
  secretTitle: [(url: string) => `The signing secret of ${url}`, (url: string) => `Le secret de signature de ${url}`],
  once: [
    'Copy it now and keep it on the receiving side: it will not be shown again.',
    'Copiez-le maintenant et gardez-le du côté qui reçoit : il ne sera plus affiché.',
  ],
  howToCheck: [
    'Each request carries a header “Fidelio-Signature: t=<unix time>,v1=<signature>”. To check it, compute the HMAC-SHA256 of “<t>.<body>” (the time, a dot, then the raw body) with this secret, write it in hexadecimal and compare it with v1; refuse a request whose t is more than a few minutes old.',
    'Chaque requête porte un en-tête « Fidelio-Signature: t=<heure unix>,v1=<signature> ». Pour vérifier la signature, calculez le HMAC-SHA256 de « <t>.<corps> » (l’heure, un point, puis le corps brut) avec ce secret, écrivez-le en hexadécimal et comparez-le à v1 ; refusez une requête dont t date de plus de quelques minutes.',
  ],
  copy: ['Copy the secret', 'Copier le secret'],
  copied: ['Copied.', 'Copié.'],
  copyFailed: [
    'Copying is not allowed here: the secret is selected, copy it with Ctrl+C.',
    'La copie est bloquée ici : le secret est sélectionné, copiez-le avec Ctrl+C.',
  ],
  done: ['I have copied it', 'Je l’ai copié'],
});

type Strings = ReturnType<typeof strings>;

/** The screen's form fields whose errors show next to them; the server's paths (`events.0`) by their first part. */
type FieldErrors = Partial<Record<'url' | 'events', string>>;

/**
 * The "Webhooks" screen (owner only): the webhooks and how their deliveries of the last 30
 * days went; adding one (an address and the events it gets), its signing secret shown once
 * with how to check a signature; deleting one after a confirmation that names it; and per
 * webhook, a disclosure with its deliveries, each attempt of each, and "Send again".
 */
export class FdWebhooks extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      h3 {
        font-size: 1.125em;
      }
      form {
        display: grid;
        gap: 0.75em;
      }
      fieldset {
        display: grid;
        gap: 0.25em;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      legend {
        padding: 0 0.25em;
        font-weight: 600;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.625em;
        min-height: 44px;
        font-weight: 400;
      }
      .check input {
        width: 1.25em;
        height: 1.25em;
        flex: none;
      }
      .check code,
      .event code {
        color: #57606a;
        font-size: 0.875em;
      }
      .error {
        color: #b42318;
        font-size: 0.875em;
        font-weight: 600;
      }
      .hooks,
      .deliveries,
      .attempts {
        padding: 0;
        list-style: none;
      }
      .hook {
        padding: 0.75em 0;
        border-bottom: 1px solid #d0d7de;
      }
      .url {
        display: block;
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .meta {
        display: block;
        color: #57606a;
        font-size: 0.875em;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      .deliveries > li {
        padding: 0.625em 0.75em;
        margin-top: 0.5em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      .attempts {
        margin: 0.25em 0 0.5em;
        font-size: 0.875em;
      }
      .status-failed {
        color: #b42318;
        font-weight: 600;
      }
      .status-delivered {
        color: #0f5132;
        font-weight: 600;
      }
      .secret {
        display: block;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
        background: #f6f8fa;
        font:
          0.9375em/1.5 ui-monospace,
          monospace;
        overflow-wrap: anywhere;
        user-select: all;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    confirming: { state: true },
    removed: { state: true },
    copied: { state: true },
    errors: { state: true },
  };

  #list = new Request(this, (signal) => merchant<Webhooks>(signal, 'GET', 'webhooks'));
  #create = new Request(this, (signal, body: { url: string; events: WebhookEventType[] }) =>
    merchant<NewWebhook>(signal, 'POST', 'webhooks', { body }),
  );
  #remove = new Request(this, async (signal, w: WebhookInfo) => {
    await merchant<void>(signal, 'DELETE', `webhooks/${encodeURIComponent(w.id)}`);
    return w;
  });
  /** The deliveries of each webhook whose disclosure was opened, by its id. */
  #deliveries = new Map<string, Request<WebhookDeliveries, []>>();
  /** "Send again" of each delivery, by its id. */
  #retries = new Map<string, Request<WebhookDelivery, []>>();
  /** The webhooks whose deliveries are shown. */
  #open = new Set<string>();

  /** The webhook whose deletion is being confirmed. */
  protected confirming?: WebhookInfo;
  /** The webhook last deleted, to say so. */
  protected removed?: WebhookInfo;
  /** The new secret was copied (true), or the clipboard refused and it was selected (false). */
  protected copied?: boolean;
  /** The add form's errors, by field (ours before sending, or the server's 400). */
  protected errors: FieldErrors = {};

  override willUpdate(): void {
    // Asked once `me` says this is the owner (staff would get 403).
    if (this.owner && this.#list.status === 'idle') void this.#list.run().then(() => this.checkSession(this.#list));
  }

  /** An address typed or an event ticked, and not added yet. */
  override get unsaved(): boolean {
    const form = this.renderRoot.querySelector('form');
    return !!form && edited(form);
  }

  get #hooks(): WebhookInfo[] {
    return this.#list.value?.webhooks ?? [];
  }

  #date(iso: string, time = false): string {
    return new Intl.DateTimeFormat(this.locale, time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(
      new Date(iso),
    );
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#create.status === 'pending') return;
    const s = strings(this.locale);
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get('url') ?? '').trim();
    const events = data.getAll('events').map(String) as WebhookEventType[];
    this.copied = undefined;
    this.errors = events.length ? {} : { events: s.noEvent };
    if (!events.length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('input[name=events]')?.focus();
      return;
    }
    await this.#create.run({ url, events });
    this.checkSession(this.#create);
    const made = this.#create.status === 'complete' ? this.#create.value : undefined;
    if (made) {
      const { secret: _secret, ...info } = made;
      if (this.#list.value) this.#list.value = { webhooks: [...this.#hooks, { ...info, delivered: 0, failing: 0 }] };
      this.removed = undefined;
      this.requestUpdate();
      form.reset();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#new-secret')?.focus();
      return;
    }
    this.errors = this.#fieldErrors(this.problem(this.#create));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
  }

  /** A 400's field errors, by the form's field (`events.1` is the events). */
  #fieldErrors(p: MerchantProblem | undefined): FieldErrors {
    const out: FieldErrors = {};
    if (p?.status !== 400) return out;
    for (const { path, message } of p.errors) {
      const key = path.split('.')[0];
      if ((key === 'url' || key === 'events') && !out[key]) out[key] = message;
    }
    return out;
  }

  async #copy(): Promise<void> {
    const secret = this.#create.value?.secret ?? '';
    try {
      await navigator.clipboard.writeText(secret);
      this.copied = true;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(this.renderRoot.querySelector('.secret')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      this.copied = false;
    }
  }

  /** Forgets the secret: it is not shown again. */
  async #done(): Promise<void> {
    this.#create.reset();
    this.copied = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#hook-url')?.focus();
  }

  async #ask(w: WebhookInfo): Promise<void> {
    this.#remove.reset();
    this.removed = undefined;
    this.confirming = w;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm')?.focus();
  }

  async #confirmRemove(): Promise<void> {
    const w = this.confirming;
    if (!w || this.#remove.status === 'pending') return;
    await this.#remove.run(w);
    this.checkSession(this.#remove);
    // Gone (204), or already gone (404): either way, no longer sent to.
    if (this.#remove.status === 'complete' || this.#remove.error?.status === 404) {
      if (this.#list.value) this.#list.value = { webhooks: this.#hooks.filter((x) => x.id !== w.id) };
      this.#open.delete(w.id);
      this.#deliveries.delete(w.id);
      this.confirming = undefined;
      this.removed = w;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#removed')?.focus();
    }
  }

  async #cancel(): Promise<void> {
    const id = this.confirming?.id;
    this.confirming = undefined;
    this.#remove.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-remove="${id}"]`)?.focus();
  }

  /** Opens or closes a webhook's deliveries; opening asks for them again. */
  #toggle(w: WebhookInfo): void {
    if (this.#open.delete(w.id)) {
      this.requestUpdate();
      return;
    }
    this.#open.add(w.id);
    let r = this.#deliveries.get(w.id);
    if (!r) {
      r = new Request(this, (signal) => merchant<WebhookDeliveries>(signal, 'GET', `webhooks/${encodeURIComponent(w.id)}/deliveries`));
      this.#deliveries.set(w.id, r);
    }
    const asked = r;
    void asked.run().then(() => this.checkSession(asked));
  }

  async #sendAgain(w: WebhookInfo, d: WebhookDelivery): Promise<void> {
    let r = this.#retries.get(d.id);
    if (r?.status === 'pending') return;
    if (!r) {
      r = new Request(this, (signal) =>
        merchant<WebhookDelivery>(signal, 'POST', `webhooks/${encodeURIComponent(w.id)}/deliveries/${encodeURIComponent(d.id)}/retry`),
      );
      this.#retries.set(d.id, r);
    }
    await r.run();
    this.checkSession(r);
    const list = this.#deliveries.get(w.id);
    const again = r.status === 'complete' ? r.value : undefined;
    if (again && list?.value) {
      list.value = { deliveries: list.value.deliveries.map((x) => (x.id === d.id ? again : x)) };
      this.requestUpdate();
    }
  }

  /** A failed request: the owner-only line for 403, the server's detail for a 4xx, else the shared failure. */
  #error(r: RequestState<unknown>) {
    const p = this.problem(r);
    const s = p?.status ?? 0;
    if (s === 403) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    if (s >= 400 && s < 500 && s !== 429 && p?.detail) return html`<p class="alert" role="alert">${p.detail}</p>`;
    return this.failure(r);
  }

  #statusLine(d: WebhookDelivery, s: Strings) {
    if (d.status === 'delivered')
      return html`<span class="status-delivered">${d.deliveredAt ? s.delivered(this.#date(d.deliveredAt, true)) : s.delivered('')}</span>`;
    if (d.status === 'failed') return html`<span class="status-failed">${s.failed}</span>`;
    return html`<span>${d.nextAttemptAt ? s.pendingNext(this.#date(d.nextAttemptAt, true)) : s.pending}</span>`;
  }

  #delivery(w: WebhookInfo, d: WebhookDelivery, s: Strings, names: ReturnType<typeof eventNames>) {
    const r = this.#retries.get(d.id);
    const busy = r?.status === 'pending';
    const when = this.#date(d.createdAt, true);
    return html`<li>
      <p class="event"><strong>${names[d.type]}</strong> <code>${d.type}</code></p>
      <p class="meta">${when} · ${this.#statusLine(d, s)}</p>
      ${
        d.attempts.length
          ? html`<ol class="attempts" aria-label=${s.attempts}>
              ${d.attempts.map(
                (a) =>
                  html`<li>
                    ${this.#date(a.at, true)} · ${a.status === null ? s.noAnswer : s.httpStatus(a.status)} ·
                    ${s.ms(a.durationMs)}${a.error ? html` · ${a.error}` : nothing}
                  </li>`,
              )}
            </ol>`
          : html`<p class="meta">${s.noAttempt}</p>`
      }
      <button
        class="btn ghost small"
        type="button"
        aria-label=${s.sendAgainWhat(names[d.type], when)}
        aria-disabled=${busy}
        @click=${() => this.#sendAgain(w, d)}
      >
        ${busy ? s.sendingAgain : s.sendAgain}
      </button>
      ${r?.status === 'error' ? this.#error(r) : nothing}
      ${r?.status === 'complete' ? html`<p class="meta" role="status">${s.sentAgain}</p>` : nothing}
    </li>`;
  }

  #deliveriesView(w: WebhookInfo) {
    const s = strings(this.locale);
    const r = this.#deliveries.get(w.id);
    let body;
    if (!r || r.status === 'pending' || r.status === 'idle') body = html`<p class="meta" role="status">${this.m.loading}</p>`;
    else if (r.status === 'error') body = this.#error(r);
    else if (!r.value?.deliveries.length) body = html`<p class="meta">${s.noDeliveries}</p>`;
    else {
      const names = eventNames(this.locale);
      body = html`<ul class="deliveries">
        ${r.value.deliveries.map((d) => this.#delivery(w, d, s, names))}
      </ul>`;
    }
    return html`<section id="deliveries-${w.id}" class="log" aria-label=${s.deliveriesOf(w.url)}>${body}</section>`;
  }

  #hook(w: WebhookInfo) {
    const s = strings(this.locale);
    const names = eventNames(this.locale);
    const open = this.#open.has(w.id);
    return html`<li class="hook stack">
      <div>
        <span class="url">${w.url}</span>
        <span class="meta">${w.events.map((e) => names[e]).join(' · ')}</span>
        <span class="meta">${s.added(this.#date(w.createdAt))} · ${s.counts(w.delivered, w.failing)}</span>
      </div>
      <div class="row">
        <button
          class="btn ghost small"
          type="button"
          data-deliveries=${w.id}
          aria-expanded=${open}
          aria-controls="deliveries-${w.id}"
          @click=${() => this.#toggle(w)}
        >
          ${s.deliveries}
        </button>
        <button
          class="btn ghost small"
          type="button"
          data-remove=${w.id}
          aria-label=${s.removeWhich(w.url)}
          aria-expanded=${this.confirming?.id === w.id}
          @click=${() => this.#ask(w)}
        >
          ${s.remove}
        </button>
      </div>
      ${open ? this.#deliveriesView(w) : nothing}
    </li>`;
  }

  #confirmation() {
    const s = strings(this.locale);
    const w = this.confirming;
    if (!w)
      return this.removed ? html`<p class="alert ok" id="removed" tabindex="-1" role="status">${s.removed(this.removed.url)}</p>` : nothing;
    const busy = this.#remove.status === 'pending';
    return html`<div class="alert stack" role="alertdialog" aria-labelledby="confirm" aria-modal="false">
      <p id="confirm" tabindex="-1">${s.confirmRemove(w.url)}</p>
      ${this.#remove.status === 'error' ? this.#error(this.#remove) : nothing}
      <div class="row">
        <button class="btn small" type="button" aria-disabled=${busy} @click=${this.#confirmRemove}>
          ${busy ? s.removing : s.confirm}
        </button>
        <button class="btn ghost small" type="button" @click=${this.#cancel}>${s.cancel}</button>
      </div>
    </div>`;
  }

  #listView() {
    const l = this.#list;
    if (l.status === 'error') return this.#error(l);
    if (l.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const s = strings(this.locale);
    return html`${
      this.#hooks.length
        ? html`<ul class="hooks" aria-labelledby="list-title">
            ${this.#hooks.map((w) => this.#hook(w))}
          </ul>`
        : html`<p class="hint none">${s.none}</p>`
    }
    ${this.#confirmation()}`;
  }

  #secret(made: NewWebhook) {
    const s = strings(this.locale);
    return html`<div class="stack" id="new-secret" tabindex="-1" role="group" aria-labelledby="secret-label">
      <p id="secret-label"><strong>${s.secretTitle(made.url)}</strong></p>
      <code class="secret">${made.secret}</code>
      <p class="alert" role="alert">${s.once}</p>
      <p>${s.howToCheck}</p>
      <div class="row">
        <button class="btn small" type="button" @click=${this.#copy}>${s.copy}</button>
        <button class="btn ghost small" type="button" @click=${this.#done}>${s.done}</button>
      </div>
      <p role="status">${this.copied === undefined ? nothing : this.copied ? s.copied : s.copyFailed}</p>
    </div>`;
  }

  #form() {
    const s = strings(this.locale);
    const names = eventNames(this.locale);
    const c = this.#create;
    const busy = c.status === 'pending';
    const errors = this.errors;
    const fieldErrors = Boolean(errors.url || errors.events);
    const eventsDescribedBy = errors.events ? 'events-error' : nothing;
    return html`<form @submit=${this.#submit} novalidate aria-labelledby="add-title">
      <h2 id="add-title">${s.addTitle}</h2>
      ${field(
        'hook-url',
        s.url,
        (w) =>
          html`<input
            id=${w.id}
            name="url"
            type="url"
            inputmode="url"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            required
            maxlength="2000"
            placeholder="https://"
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
          />`,
        { hint: s.urlHint, error: errors.url },
      )}
      <fieldset aria-describedby=${eventsDescribedBy}>
        <legend>${s.events}</legend>
        ${EVENTS.map(
          (e) =>
            html`<label class="check">
              <input type="checkbox" name="events" value=${e} aria-invalid=${errors.events ? 'true' : nothing} />
              <span>${names[e]} <code>${e}</code></span>
            </label>`,
        )}
        ${errorLine('events', errors.events)}
      </fieldset>
      ${c.status === 'error' && !fieldErrors ? this.#error(c) : nothing}
      ${c.status === 'error' && fieldErrors ? html`<p class="alert" role="alert">${s.badFields}</p>` : nothing}
      <button class="btn" type="submit" aria-disabled=${busy}>${busy ? s.adding : s.add}</button>
    </form>`;
  }

  override render() {
    const s = strings(this.locale);
    if (!this.owner) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    const made = this.#create.status === 'complete' ? this.#create.value : undefined;
    return html`<div class="stack">
      <section class="stack" aria-labelledby="title">
        <h2 id="title">${s.title}</h2>
        <p>${s.intro}</p>
        <h3 id="list-title">${s.list}</h3>
        ${this.#listView()}
      </section>
      ${made ? this.#secret(made) : this.#form()}
    </div>`;
  }
}

define('fd-webhooks', FdWebhooks);

declare global {
  interface HTMLElementTagNameMap {
    'fd-webhooks': FdWebhooks;
  }
}
