import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../../common/define.ts';
import { localize, type Locale } from '../../common/localize.ts';
import { Request } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { ScreenElement } from '../base.ts';

/** The server's bounds on a message, once trimmed (server/contract/merchant.ts `messageBody`). */
export const MAX_LENGTH = 300;

const plural = (locale: Locale, n: number, one: string, other: string) =>
  `${new Intl.NumberFormat(locale).format(n)} ${new Intl.PluralRules(locale).select(n) === 'one' ? one : other}`;

const text = localize({
  title: ['Message to your members', 'Message à vos membres'],
  explain: [
    'Your message appears on the back of every loyalty pass, and phones that hold the pass in Apple Wallet or Google Wallet show it as a notification on the lock screen. A new message replaces the previous one.',
    'Votre message s’affiche au dos de chaque carte de fidélité, et les téléphones qui ont la carte dans Apple Wallet ou Google Wallet l’affichent en notification sur l’écran verrouillé. Un nouveau message remplace le précédent.',
  ],
  label: ['Message', 'Message'],
  placeholder: ['Fresh croissants from 7 a.m. on Sunday!', 'Croissants tout chauds dès 7 h dimanche !'],
  count: [(n: number) => `${n} / ${MAX_LENGTH} characters`, (n: number) => `${n} / ${MAX_LENGTH} caractères`],
  tooLong: [
    (n: number) => `Too long: remove ${plural('en', n - MAX_LENGTH, 'character', 'characters')}.`,
    (n: number) => `Trop long : retirez ${plural('fr', n - MAX_LENGTH, 'caractère', 'caractères')}.`,
  ],
  next: ['Continue', 'Continuer'],
  confirmTitle: ['Send this message?', 'Envoyer ce message ?'],
  // The server counts the Apple Wallet devices only; Google Wallet passes are notified too.
  reach: [
    (cards: number, devices: number) =>
      `It will show on ${plural('en', cards, 'pass', 'passes')}. Phones with the pass in Apple Wallet (${plural('en', devices, 'device', 'devices')}) or Google Wallet will get a notification.`,
    (cards: number, devices: number) =>
      `Il s’affichera sur ${plural('fr', cards, 'carte', 'cartes')}. Les téléphones qui ont la carte dans Apple Wallet (${plural('fr', devices, 'appareil', 'appareils')}) ou Google Wallet recevront une notification.`,
  ],
  nobody: [
    'Nobody has joined yet: the passes of new members will show it.',
    'Personne n’a encore rejoint le programme : les cartes des nouveaux membres l’afficheront.',
  ],
  send: [(n: number) => `Send to ${plural('en', n, 'pass', 'passes')}`, (n: number) => `Envoyer sur ${plural('fr', n, 'carte', 'cartes')}`],
  cancel: ['Cancel', 'Annuler'],
  sent: [
    (n: number) => `Sent to ${plural('en', n, 'pass', 'passes')}.`,
    (n: number) => `Envoyé sur ${plural('fr', n, 'carte', 'cartes')}.`,
  ],
  another: ['Write another message', 'Écrire un autre message'],
});

type Step = 'write' | 'confirm' | 'sent';

/**
 * A message on every member's pass: write it (1–300 characters, counted as typed), then a
 * confirmation that says how many passes and devices it reaches (`GET /api/merchant/messages/reach`)
 * before anything is sent (`POST /api/merchant/messages`, once, however often the button is tapped).
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdMessages extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .field textarea {
        min-height: 7em;
      }
      textarea[aria-invalid='true'] {
        border-color: #cf222e;
      }
      .over {
        color: #a40e26;
        font-weight: 600;
      }
      blockquote {
        margin: 0;
        padding: 0.75em 1em;
        border-left: 4px solid var(--p);
        background: #f6f8fa;
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    draft: { state: true },
    step: { state: true },
  };

  #reach = new Request(this, (signal) => merchant<{ cards: number; devices: number }>(signal, 'GET', 'messages/reach'));
  #send = new Request(this, (signal, body: { text: string }) =>
    merchant<{ passes: number; devices: number }>(signal, 'POST', 'messages', { body }),
  );

  /** The message as typed. */
  protected draft = '';
  protected step: Step = 'write';

  /** A message written and not sent yet. */
  override get unsaved(): boolean {
    return this.step !== 'sent' && this.draft.trim() !== '';
  }

  get #t() {
    return text(this.locale);
  }

  /** The message as the server will store it: trimmed. */
  get #message(): string {
    return this.draft.trim();
  }

  get #valid(): boolean {
    return this.#message.length >= 1 && this.#message.length <= MAX_LENGTH;
  }

  async #continue(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.#valid) return;
    this.step = 'confirm';
    this.#send.reset();
    await this.#reach.run();
    this.checkSession(this.#reach);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-title')?.focus();
  }

  #cancel(): void {
    if (this.#send.status === 'pending') return;
    this.#reach.reset();
    this.#send.reset();
    this.step = 'write';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('textarea')?.focus());
  }

  async #confirm(): Promise<void> {
    if (this.#send.status === 'pending' || !this.#valid) return;
    await this.#send.run({ text: this.#message });
    this.checkSession(this.#send);
    if (this.#send.status === 'complete') {
      this.draft = '';
      this.step = 'sent';
    }
  }

  #again(): void {
    this.#send.reset();
    this.#reach.reset();
    this.step = 'write';
  }

  #write() {
    const t = this.#t;
    const n = this.#message.length;
    const over = n > MAX_LENGTH;
    return html`<form class="stack" @submit=${this.#continue}>
      <div class="field">
        <label for="message">${t.label}</label>
        <textarea
          id="message"
          rows="4"
          placeholder=${t.placeholder}
          aria-describedby="count"
          aria-invalid=${over}
          .value=${this.draft}
          @input=${(e: InputEvent) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <p id="count" class="hint ${over ? 'over' : ''}">${t.count(n)}</p>
      </div>
      ${over ? html`<p class="alert" role="alert">${t.tooLong(n)}</p>` : nothing}
      <div class="actions">
        <button class="btn" type="submit" aria-disabled=${!this.#valid}>${t.next}</button>
      </div>
    </form>`;
  }

  #confirmation() {
    const t = this.#t;
    const r = this.#reach;
    const s = this.#send;
    const busy = s.status === 'pending';
    let reach;
    if (r.status === 'error') reach = this.failure(r, r.error?.status === 403 ? this.m.ownerOnly : undefined);
    else if (r.status !== 'complete') reach = html`<p class="state" role="status">${this.m.loading}</p>`;
    else
      reach = html`<p>${t.reach(r.value!.cards, r.value!.devices)}</p>
        ${r.value!.cards === 0 ? html`<p class="hint">${t.nobody}</p>` : nothing}`;
    const cards = r.value?.cards ?? 0;
    return html`<section class="stack" aria-labelledby="confirm-title">
      <h3 id="confirm-title" tabindex="-1">${t.confirmTitle}</h3>
      <blockquote>${this.#message}</blockquote>
      ${reach} ${s.status === 'pending' ? html`<p class="state" role="status">${this.m.sending}</p>` : nothing}
      ${s.status === 'error' ? this.failure(s, s.error?.status === 403 ? this.m.ownerOnly : this.problem(s)?.detail || undefined) : nothing}
      <div class="actions">
        ${
          r.status === 'complete'
            ? html`<button class="btn" type="button" data-action="send" aria-disabled=${busy} @click=${this.#confirm}>
                ${t.send(cards)}
              </button>`
            : nothing
        }
        <button class="btn ghost" type="button" data-action="cancel" aria-disabled=${busy} @click=${this.#cancel}>${t.cancel}</button>
      </div>
    </section>`;
  }

  #sent() {
    const t = this.#t;
    return html`<p class="alert ok" role="status">${t.sent(this.#send.value?.passes ?? 0)}</p>
      <button class="btn ghost" type="button" @click=${this.#again}>${t.another}</button>`;
  }

  override render() {
    const t = this.#t;
    if (!this.owner) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    return html`<div class="stack">
      <h2>${t.title}</h2>
      <p>${t.explain}</p>
      ${this.step === 'write' ? this.#write() : this.step === 'confirm' ? this.#confirmation() : this.#sent()}
    </div>`;
  }
}

define('fd-messages', FdMessages);

declare global {
  interface HTMLElementTagNameMap {
    'fd-messages': FdMessages;
  }
}
