import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { NewApiKey, StaffMember } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant, type MerchantProblem } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { field } from '../field.ts';

const strings = localize({
  team: ['Team', 'Équipe'],
  teamIntro: [
    'Staff log in with their own email and password: they use the counter and look customers up, nothing else.',
    'Chaque employé se connecte avec son propre e-mail et mot de passe : il utilise la caisse et consulte les clients, rien d’autre.',
  ],
  owner: ['Owner', 'Responsable'],
  staff: ['Staff', 'Employé'],
  you: ['(you)', '(vous)'],
  remove: ['Remove', 'Retirer'],
  removeWho: [(email: string) => `Remove ${email}`, (email: string) => `Retirer ${email}`],
  confirmRemove: [
    (email: string) => `Remove ${email} from the team? They are logged out at once and can no longer log in.`,
    (email: string) => `Retirer ${email} de l’équipe ? Cette personne est déconnectée aussitôt et ne pourra plus se connecter.`,
  ],
  confirm: ['Yes, remove', 'Oui, retirer'],
  cancel: ['Cancel', 'Annuler'],
  removing: ['Removing…', 'Retrait…'],
  removed: [(email: string) => `${email} was removed from the team.`, (email: string) => `${email} a été retiré de l’équipe.`],
  addTitle: ['Add someone', 'Ajouter quelqu’un'],
  email: ['Email', 'E-mail'],
  password: ['Password', 'Mot de passe'],
  passwordHint: [
    '10 characters or more. Give it to them in person; they log in at this page’s address.',
    '10 caractères ou plus. Donnez-le en main propre ; la connexion se fait à l’adresse de cette page.',
  ],
  add: ['Add to the team', 'Ajouter à l’équipe'],
  adding: ['Adding…', 'Ajout…'],
  added: [(email: string) => `${email} can now log in.`, (email: string) => `${email} peut maintenant se connecter.`],
  taken: ['An account already exists with this email.', 'Un compte existe déjà avec cet e-mail.'],
  badFields: [
    'Check the fields: a valid email, and a password of 10 characters or more.',
    'Vérifiez les champs : un e-mail valide, et un mot de passe de 10 caractères ou plus.',
  ],
  keysTitle: ['API key for a till', 'Clé d’API pour une caisse'],
  keysIntro: [
    'A till or point-of-sale system can add stamps and purchases itself, with a key sent as “Authorization: Bearer <key>”.',
    'Une caisse ou un logiciel d’encaissement peut ajouter tampons et achats lui-même, avec une clé envoyée en « Authorization: Bearer <clé> ».',
  ],
  keyName: ['Name of the till', 'Nom de la caisse'],
  keyNameHint: ['For example “Front counter”.', 'Par exemple « Comptoir ».'],
  keyNameMissing: ['Give the till a name.', 'Donnez un nom à la caisse.'],
  createKey: ['Create a key', 'Créer une clé'],
  creating: ['Creating…', 'Création…'],
  newKey: [(name: string) => `The key for “${name}”`, (name: string) => `La clé de « ${name} »`],
  once: [
    'Copy it now and keep it safe: it will not be shown again.',
    'Copiez-la maintenant et gardez-la en lieu sûr : elle ne sera plus affichée.',
  ],
  copy: ['Copy the key', 'Copier la clé'],
  copied: ['Copied.', 'Copié.'],
  copyFailed: [
    'Copying is not allowed here: the key is selected, copy it with Ctrl+C.',
    'La copie est bloquée ici : la clé est sélectionnée, copiez-la avec Ctrl+C.',
  ],
  done: ['I have copied it', 'Je l’ai copiée'],
});

/**
 * The "Staff" screen (owner only): the team (the owner, marked as such, and the staff
 * accounts), adding a staff account, removing one after a confirmation that names them (their
 * sessions end with it), and creating an API key for a till, shown once.
 */
export class FdStaff extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      form {
        display: grid;
        gap: 0.75em;
      }
      .team {
        padding: 0;
        list-style: none;
      }
      .team li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em 1em;
        padding: 0.75em 0;
        border-bottom: 1px solid #d0d7de;
      }
      .who {
        flex: 1;
        min-width: 12em;
        overflow-wrap: anywhere;
      }
      .role {
        display: block;
        color: #57606a;
        font-size: 0.875em;
      }
      .key {
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
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    confirming: { state: true },
    copied: { state: true },
  };

  #list = new Request(this, (signal) => merchant<{ staff: StaffMember[] }>(signal, 'GET', 'staff'));
  #add = new Request(this, (signal, body: { email: string; password: string }) => merchant<StaffMember>(signal, 'POST', 'staff', { body }));
  #remove = new Request(this, async (signal, m: StaffMember) => {
    await merchant<void>(signal, 'DELETE', `staff/${encodeURIComponent(m.id)}`);
    return m;
  });
  #key = new Request(this, (signal, name: string) => merchant<NewApiKey>(signal, 'POST', 'api-keys', { body: { name } }));

  /** The member whose removal is being confirmed. */
  protected confirming?: StaffMember;
  /** The new key was copied (true), or the clipboard refused and it was selected (false). */
  protected copied?: boolean;

  override willUpdate(): void {
    // Asked once `me` says this is the owner (staff would get 403).
    if (this.owner && this.#list.status === 'idle') void this.#list.run().then(() => this.checkSession(this.#list));
  }

  /** The team as listed, with who was added and removed since. */
  get #team(): StaffMember[] {
    return this.#list.value?.staff ?? [];
  }

  async #submitAdd(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#add.status === 'pending') return;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    await this.#add.run({ email: String(data.get('email')).trim(), password: String(data.get('password')) });
    this.checkSession(this.#add);
    const added = this.#add.status === 'complete' ? this.#add.value : undefined;
    if (added && this.#list.value) {
      this.#list.value = { staff: [...this.#team.filter((m) => m.id !== added.id), added] };
      form.reset();
      this.requestUpdate();
    }
  }

  async #ask(m: StaffMember): Promise<void> {
    this.#remove.reset();
    this.confirming = m;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm')?.focus();
  }

  async #confirmRemove(): Promise<void> {
    const m = this.confirming;
    if (!m || this.#remove.status === 'pending') return;
    await this.#remove.run(m);
    this.checkSession(this.#remove);
    // Gone (204), or already gone (404): either way, not on the team any more.
    if (this.#remove.status === 'complete' || this.#remove.error?.status === 404) {
      if (this.#list.value) this.#list.value = { staff: this.#team.filter((x) => x.id !== m.id) };
      this.confirming = undefined;
      this.requestUpdate();
    }
  }

  async #cancel(): Promise<void> {
    const id = this.confirming?.id;
    this.confirming = undefined;
    this.#remove.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus();
  }

  async #submitKey(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#key.status === 'pending') return;
    const form = e.target as HTMLFormElement;
    this.copied = undefined;
    await this.#key.run(String(new FormData(form).get('name')).trim());
    this.checkSession(this.#key);
    if (this.#key.status === 'complete') {
      form.reset();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#new-key')?.focus();
    }
  }

  async #copyKey(): Promise<void> {
    const key = this.#key.value?.key ?? '';
    try {
      await navigator.clipboard.writeText(key);
      this.copied = true;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(this.renderRoot.querySelector('.key')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      this.copied = false;
    }
  }

  /** Forgets the key: it is not shown again. */
  #done(): void {
    this.#key.reset();
    this.copied = undefined;
  }

  /** A failed write: the server's refusal in words, else the shared failure. */
  #error(r: RequestState<unknown>, words: Partial<Record<number, string>>) {
    const p = r.error as MerchantProblem | undefined;
    const s = p?.status ?? 0;
    if (s === 403) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    const text = words[s];
    return text ? html`<p class="alert" role="alert">${text}</p>` : this.failure(r);
  }

  #member(m: StaffMember) {
    const s = strings(this.locale);
    const you = m.id === this.me?.user?.id;
    return html`<li>
      <span class="who">
        ${m.email} ${you ? s.you : nothing}
        <span class="role">${m.role === 'owner' ? s.owner : s.staff}</span>
      </span>
      ${
        m.role === 'owner'
          ? nothing
          : html`<button
              class="btn ghost small"
              type="button"
              data-id=${m.id}
              aria-label=${s.removeWho(m.email)}
              aria-expanded=${this.confirming?.id === m.id}
              @click=${() => this.#ask(m)}
            >
              ${s.remove}
            </button>`
      }
    </li>`;
  }

  #confirmation() {
    const s = strings(this.locale);
    const m = this.confirming;
    if (!m) {
      const gone = this.#remove.status === 'complete' ? this.#remove.value : undefined;
      return gone ? html`<p class="alert ok" role="status">${s.removed(gone.email)}</p>` : nothing;
    }
    const busy = this.#remove.status === 'pending';
    return html`<div class="alert stack" role="alertdialog" aria-labelledby="confirm" aria-modal="false">
      <p id="confirm" tabindex="-1">${s.confirmRemove(m.email)}</p>
      ${this.#remove.status === 'error' ? this.#error(this.#remove, {}) : nothing}
      <div class="row">
        <button class="btn small" type="button" aria-disabled=${busy} @click=${this.#confirmRemove}>
          ${busy ? s.removing : s.confirm}
        </button>
        <button class="btn ghost small" type="button" @click=${this.#cancel}>${s.cancel}</button>
      </div>
    </div>`;
  }

  #teamView() {
    const l = this.#list;
    if (l.status === 'error') return this.#error(l, {});
    if (l.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const s = strings(this.locale);
    return html`<ul class="team" aria-label=${s.team}>
        ${this.#team.map((m) => this.#member(m))}
      </ul>
      ${this.#confirmation()}`;
  }

  #addForm() {
    const s = strings(this.locale);
    const a = this.#add;
    const busy = a.status === 'pending';
    return html`<form class="stack" @submit=${this.#submitAdd} aria-labelledby="add-title">
      <h2 id="add-title">${s.addTitle}</h2>
      ${field('email', s.email, (w) => html`<input id=${w.id} name="email" type="email" autocomplete="off" required />`)}
      ${field(
        'password',
        s.password,
        (w) =>
          html`<input
            id=${w.id}
            name="password"
            type="text"
            autocomplete="new-password"
            autocapitalize="off"
            spellcheck="false"
            minlength="10"
            required
            aria-describedby=${w.describedBy}
          />`,
        { hint: s.passwordHint },
      )}
      ${a.status === 'error' ? this.#error(a, { 409: s.taken, 400: s.badFields }) : nothing}
      ${a.status === 'complete' && a.value ? html`<p class="alert ok" role="status">${s.added(a.value.email)}</p>` : nothing}
      <button class="btn" type="submit" aria-disabled=${busy}>${busy ? s.adding : s.add}</button>
    </form>`;
  }

  #keys() {
    const s = strings(this.locale);
    const k = this.#key;
    const busy = k.status === 'pending';
    const made = k.status === 'complete' ? k.value : undefined;
    return html`<section class="stack" aria-labelledby="keys-title">
      <h2 id="keys-title">${s.keysTitle}</h2>
      <p>${s.keysIntro}</p>
      ${
        made
          ? html`<div class="stack" id="new-key" tabindex="-1" role="group" aria-labelledby="key-label">
              <p id="key-label"><strong>${s.newKey(made.name)}</strong></p>
              <code class="key">${made.key}</code>
              <p class="alert" role="alert">${s.once}</p>
              <div class="row">
                <button class="btn small" type="button" @click=${this.#copyKey}>${s.copy}</button>
                <button class="btn ghost small" type="button" @click=${this.#done}>${s.done}</button>
              </div>
              <p role="status">${this.copied === undefined ? nothing : this.copied ? s.copied : s.copyFailed}</p>
            </div>`
          : html`<form @submit=${this.#submitKey}>
              ${field(
                'key-name',
                s.keyName,
                (w) => html`<input id=${w.id} name="name" autocomplete="off" required maxlength="100" aria-describedby=${w.describedBy} />`,
                { hint: s.keyNameHint },
              )}
              ${k.status === 'error' ? this.#error(k, { 400: s.keyNameMissing }) : nothing}
              <button class="btn" type="submit" aria-disabled=${busy}>${busy ? s.creating : s.createKey}</button>
            </form>`
      }
    </section>`;
  }

  override render() {
    const s = strings(this.locale);
    if (!this.owner) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    return html`<div class="stack">
      <section class="stack" aria-labelledby="team-title">
        <h2 id="team-title">${s.team}</h2>
        <p>${s.teamIntro}</p>
        ${this.#teamView()}
      </section>
      ${this.#addForm()} ${this.#keys()}
    </div>`;
  }
}

define('fd-staff', FdStaff);

declare global {
  interface HTMLElementTagNameMap {
    'fd-staff': FdStaff;
  }
}
